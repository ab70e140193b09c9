/* Private declarations of src/suppress. */
#ifndef BW_SUPPRESS_INT_H
#define BW_SUPPRESS_INT_H

#include "suppress.h"

/* One ignore-file line or one VEX statement. Strings live in the handle's
 * arena. */
struct bw_suppress_entry {
	bool vex;	   /* from a VEX document: vulnerability findings only */
	bool suppresses;   /* VEX: the status removes the finding (else it re-opens it) */
	bool all_packages; /* VEX: no package scope (the whole product) */
	const char *id;
	const char **aliases; /* VEX: the vulnerability's aliases */
	size_t n_aliases;
	const char **scopes; /* ignore: scope words; VEX: package purls */
	size_t n_scopes;
	int kind;     /* the finding kind it applies to (.trivyignore.yaml sections), -1 any */
	long expires; /* days since the epoch, -1 = never */
	const char *file;
	long line;	    /* ignore files; 0 for VEX */
	const char *reason; /* the suppressed_by text, complete */
};

struct bw_suppress {
	struct bw_arena arena;
	struct bw_suppress_entry *entries;
	size_t n_entries, cap_entries;
	long today;
};

struct bw_suppress_entry *bw_suppress_entry_add(struct bw_suppress *s);
/* Drop the entries from index n on (a file that failed to parse). */
void bw_suppress_truncate(struct bw_suppress *s, size_t n);

#endif
