/* audit — the CIS Docker Benchmark v1.6 audit of a Docker host: its host
 * configuration (section 1), daemon options (2), daemon files (3), images
 * (4, not yet automated), containers (5) and operations (6).
 *
 * Live, the audit asks the Docker Engine (engine/engine.h) for its info and
 * every container's inspect document, and reads the running dockerd's
 * command line from /proc. Offline, the same facts come from saved files:
 * `docker inspect` output, daemon.json, the dockerd command line and
 * `docker info --format '{{json .}}'`. Files and permissions are always read
 * under host_root ("/" by default), so a copy of a host's /etc and /run
 * can be audited anywhere.
 *
 * Every check of the explicit table (bw_audit_checks) yields findings of
 * kind BW_KIND_AUDIT, id "CIS-<number>", status pass / warn / info /
 * manual, with the evidence that decided it and a remediation. Container
 * checks yield one finding per container (location.container). Bad inputs
 * (a non-JSON inspect file, a daemon.json with comments, an engine error on
 * one container) become report warnings naming the input; the other checks
 * still run. Only an engine that cannot be reached at all fails the audit.
 *
 * Ownership: the caller owns the report bw_audit_run() fills and the
 * document bw_audit_checks_json() returns; the check table is static.
 */
#ifndef BW_AUDIT_H
#define BW_AUDIT_H

#include "core/core.h"
#include "report/report.h"

enum bw_audit_scope {
	BW_AUDIT_HOST = 1,  /* section 1 */
	BW_AUDIT_DAEMON,    /* 2 */
	BW_AUDIT_FILES,	    /* 3 */
	BW_AUDIT_IMAGES,    /* 4 */
	BW_AUDIT_CONTAINER, /* 5: one finding per container */
	BW_AUDIT_OPS,	    /* 6 */
};

/* One row of the check table, for docs and --list. */
struct bw_audit_check_info {
	const char *id;	   /* "5.4" (the finding id is "CIS-5.4") */
	const char *title; /* the benchmark's recommendation, in short */
	enum bw_audit_scope scope;
	bool cis_automated;	   /* the benchmark's own marking */
	bool decided;		   /* bulwark decides it (else it reports manual/info) */
	enum bw_severity severity; /* of a warn verdict */
	const char *how;	   /* how bulwark decides it */
	const char *remediation;
};

size_t bw_audit_n_checks(void);
const struct bw_audit_check_info *bw_audit_check_at(size_t i);
const char *bw_audit_scope_name(enum bw_audit_scope s); /* "Host configuration" */

struct bw_audit_opts {
	bool offline;			  /* no engine: only the files below */
	const char *engine_host;	  /* live: NULL = DOCKER_HOST or the default socket */
	long engine_timeout_ms;		  /* one engine request; 0: the engine's default */
	double timeout_s;		  /* the whole live audit; 0: 600 s */
	const char *const *inspect_files; /* offline: `docker inspect` JSON (array or object) */
	size_t n_inspect_files;
	const char *engine_info_file; /* `docker info --format '{{json .}}'` (optional) */
	const char *daemon_json;      /* NULL: <host_root>/etc/docker/daemon.json */
	const char *dockerd_cmdline;  /* file with dockerd's argv (NUL- or whitespace-separated);
				       * NULL live with host_root "/": /proc/<dockerd>/cmdline */
	const char *host_root;	      /* NULL: "/" */
	const char *const *checks;    /* only these ids or sections ("5.4", "CIS-5.4", "2", "1.1") */
	size_t n_checks;
	const char *const *excludes; /* minus these */
	size_t n_excludes;
	/* section 4 reads the images containers use, seconds each: told before
	 * each one (done of total so far, its name); NULL: nothing */
	void (*progress)(void *ud, size_t done, size_t total, const char *image);
	void *progress_ud;
};

/* Run the audit and add its findings to r (target type "host"). Returns
 * BW_EREMOTE when the live engine cannot be reached, BW_EUSAGE for a check
 * selection that names no check; anything else is a warning in r. A live
 * audit stops asking the engine when timeout_s has passed (a stalled
 * engine costs that, not a request timeout per container): what it could
 * not check is named in r's warnings, r holds the rest, and it returns
 * BW_ELIMIT saying the audit is incomplete. */
int bw_audit_run(const struct bw_audit_opts *opts, struct bw_report *r, struct bw_error *err);

/* Time spent waiting on the engine by the last bw_audit_run in this
 * thread, in seconds (for the benchmark). */
double bw_audit_last_engine_seconds(void);

/* ---- what `bulwark audit` writes besides the report ------------------- */

/* The check table as JSON: [{id, title, section, cis_automated, decided,
 * severity, how, remediation}], a new reference the caller releases
 * (json_decref). */
json_t *bw_audit_checks_json(void);
/* The check table, one line a check: id, automated or manual, severity, title. */
void bw_audit_checks_write_table(FILE *out);
/* An audit's report r as the CIS-style table: by section, a container
 * check's containers one a line, the score and r's warnings; findings
 * below min are left out; color: ANSI colours. Write errors are left on
 * out for its owner. */
void bw_audit_write_table(const struct bw_report *r, enum bw_severity min, bool color, FILE *out);

#endif
