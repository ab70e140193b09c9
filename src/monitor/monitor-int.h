/* Private declarations of the monitor: the event model the rules see, the
 * process table, container attribution, the rules engine (Falco's
 * language: loader, condition parser, field table, per-event-type
 * compiler, evaluator), the event sources, the outputs and learning. */
#ifndef BW_MONITOR_INT_H
#define BW_MONITOR_INT_H

#include <jansson.h>
#include <linux/types.h>
#include <pthread.h>

#include "monitor.h"
#include "report/report.h"

#include "monitor/bpf/events.h"

/* ---- small hash map (hash.c) -------------------------------------------- */

/* A chained hash map from a 64-bit key, or a string (then the key is its
 * hash and the string is compared too), to a pointer. Values are the
 * caller's. */
struct bw_mon_hentry;
struct bw_mon_hash {
	struct bw_mon_hentry **b;
	size_t n, cap;
};
void *bw_mon_hash_get(const struct bw_mon_hash *h, uint64_t key);
void bw_mon_hash_put(struct bw_mon_hash *h, uint64_t key, void *val);
void *bw_mon_hash_del(struct bw_mon_hash *h, uint64_t key);
void *bw_mon_hash_sget(const struct bw_mon_hash *h, const char *key);
void bw_mon_hash_sput(struct bw_mon_hash *h, const char *key, void *val);
void *bw_mon_hash_sdel(struct bw_mon_hash *h, const char *key);
/* Call fn for every entry (fn may not change h); fn returns true to delete it. */
void bw_mon_hash_sweep(struct bw_mon_hash *h, bool (*fn)(void *ud, uint64_t key, void *val), void *ud);
void bw_mon_hash_release(struct bw_mon_hash *h);
uint64_t bw_mon_strhash(const char *s, size_t n);

/* ---- event types (evtypes.c) --------------------------------------------- */

/* One Falco evt.type this source produces: a syscall with the eBPF program
 * that records it, or a hook that is not a syscall (procexit, …). */
struct bw_mon_evtype {
	const char *name;
	uint16_t kind;	  /* enum bw_ev_kind */
	const char *prog; /* the tail-called program of a syscall; NULL for other hooks */
};
extern const struct bw_mon_evtype bw_mon_evtypes[];
extern const size_t bw_mon_n_evtypes;
#define BW_MON_MAX_EVTYPES 64
int bw_mon_evtype_by_name(const char *name);
/* The evt.type index of a record: its kind and syscall number. -1 when none. */
int bw_mon_evtype_of(uint16_t kind, int syscall_nr);
/* The syscall number of an evtype on this machine, -1 when it has none. */
int bw_mon_evtype_nr(int evtype);
/* Is name an event type Falco knows (every syscall of this architecture,
 * and Falco's own events such as procexit or container)? */
bool bw_mon_evtype_known(const char *name);
/* Syscall names and numbers of the running architecture (libseccomp). The
 * name is a static string or NULL. */
const char *bw_mon_syscall_name(int nr);
int bw_mon_syscall_nr(const char *name);

/* ---- the process table (proc.c) ------------------------------------------ */

struct bw_mon_str;

struct bw_mon_proc {
	uint32_t pid, ppid, vpid, sid, pgid, tty;
	uint32_t uid, gid, euid, egid, loginuid;
	uint64_t start_boot; /* CLOCK_BOOTTIME ns */
	uint64_t cgroup_id;
	uint64_t cap_eff, cap_perm, cap_inh;
	uint64_t exe_ino, exe_ctime, exe_mtime;
	uint32_t exe_flags, exe_mode, exe_nlink, exe_dev;
	char comm[BW_EV_COMM + 1];
	char *exe;     /* argv[0] */
	char *exepath; /* resolved executable */
	char *args;    /* argv[1..] joined by spaces */
	char *cwd;     /* with a trailing '/' */
	bool args_trunc, exepath_trunc, cwd_trunc;
	bool from_proc; /* filled from /proc, not from an exec record */
	bool dead;
	double dead_at;
	int drift; /* -1 not known yet, 0 in the image, 1 not in the image or changed after start */
};

struct bw_mon_proctab {
	struct bw_mon_hash by_pid;
	size_t n, max;
	uint64_t evicted;
};
void bw_mon_proctab_init(struct bw_mon_proctab *t, size_t max);
void bw_mon_proctab_release(struct bw_mon_proctab *t);
/* Read every process of /proc (at start). */
void bw_mon_proctab_seed(struct bw_mon_proctab *t);
/* The entry of pid; read from /proc on a miss (NULL when there is none). */
struct bw_mon_proc *bw_mon_proctab_get(struct bw_mon_proctab *t, uint32_t pid);
struct bw_mon_proc *bw_mon_proctab_peek(const struct bw_mon_proctab *t, uint32_t pid);
/* Apply a record (fork, exec, exit; any record refreshes the ids): returns
 * the process the record is about, after the update. */
struct bw_mon_proc *bw_mon_proctab_apply(struct bw_mon_proctab *t, const struct bw_ev_hdr *h,
					 const void *fixed, const struct bw_mon_str *strs, int nstr,
					 double now);
/* Fill p from an exec record (strings copied; release them with
 * bw_mon_proc_release_strings when p is not the table's). */
void bw_mon_proc_fill_exec(struct bw_mon_proc *p, const struct bw_ev_hdr *h, const void *fixed,
			   const struct bw_mon_str *strs, int nstr);
void bw_mon_proc_release_strings(struct bw_mon_proc *p);
/* Forget processes dead for longer than grace seconds. */
void bw_mon_proctab_gc(struct bw_mon_proctab *t, double now, double grace);
/* The N-th ancestor (1 = parent) or NULL. */
struct bw_mon_proc *bw_mon_proctab_ancestor(struct bw_mon_proctab *t, struct bw_mon_proc *p, int n);

/* ---- containers (container.c) ---------------------------------------------- */

struct bw_mon_users;
struct bw_mon_image;
struct bw_mon_learned;

struct bw_mon_container {
	uint64_t cgroup_id;
	char *cgroup; /* the cgroup's path or name, as found */
	bool host;
	char *id;	     /* the full id ("host" for the host) */
	const char *runtime; /* docker, podman, containerd, cri-o (static) */
	char *name, *image, *image_repo, *image_tag, *image_id, *image_digest;
	char *pod_name, *pod_ns, *pod_uid, *k8s_container;
	json_t *labels;
	bool privileged;
	uint64_t start_ns; /* epoch ns, 0 unknown */
	bool resolved;	   /* the engine answered (or there is no engine for it) */
	double retry_at;
	/* host only for want of a name: the cgroup could not be read yet (its
	 * processes gone, the tree walked too recently); asked again on later
	 * records, and at once by an exec record, which names its cgroup */
	bool unsure;
	double unsure_retry_at;
	bool partial;	  /* named from an engine event: no image id (yet) */
	bool settled;	  /* an alert waited for its name once */
	uint32_t pids[8]; /* processes seen in it, newest first (for its /etc/passwd) */
	struct bw_mon_users *users;
	struct bw_mon_image *img;
	struct bw_mon_learned *learned;
};

struct bw_mon_attrib;
int bw_mon_attrib_new(const struct bw_monitor_opts *o, struct bw_mon_attrib **out, struct bw_error *err);
void bw_mon_attrib_free(struct bw_mon_attrib *a);
/* The container of a record's cgroup (made on first sight; cgroup_name is
 * the cgroup directory's name when the record has it). Never NULL. */
struct bw_mon_container *bw_mon_attrib_container(struct bw_mon_attrib *a, uint64_t cgroup_id,
						 const char *cgroup_name, size_t name_len, uint32_t pid,
						 double now);
/* Before an alert names a container not named yet (or named from an
 * engine event, without its image id): wait at most max_wait seconds, once
 * a container, for the engine to tell (not when the engine is away). The
 * alert goes out either way, named by the id at worst. */
void bw_mon_attrib_settle(struct bw_mon_attrib *a, struct bw_mon_container *c, double max_wait);
/* Warnings the engine thread left (engine gone, …), drained by the loop. */
char *bw_mon_attrib_take_warning(struct bw_mon_attrib *a);
/* Container id from a cgroup path or name (docker, podman, containerd,
 * CRI-O naming); false for the host. */
bool bw_mon_container_id_from_cgroup(const char *cgroup, size_t len, char id[65], const char **runtime);
/* uid -> name inside the container (its /etc/passwd, read once). */
const char *bw_mon_user_name(struct bw_mon_container *c, uint32_t uid, bool group);
uint64_t bw_mon_host_cgroup_id(void);

/* ---- events (decode.c) ------------------------------------------------------- */

struct bw_mon_str {
	const char *p;
	uint32_t len;
	uint16_t flags; /* BW_STRF_* */
};

#define BW_MON_MAX_STRS 12

struct bw_mon;

/* An event as the rules see it: a decoded record with its process and
 * container. Strings point into the record. Values made while evaluating
 * (rendered flags, socket names) come from the event's scratch space. */
struct bw_mon_event {
	const struct bw_ev_hdr *hdr;
	const void *fixed;
	struct bw_mon_str str[BW_MON_MAX_STRS];
	int nstr;
	int evtype;
	uint64_t num;
	uint64_t ts_ns; /* epoch */
	struct bw_mon_proc *proc;
	struct bw_mon_container *ctr;
	struct bw_mon *mon;
	char *scratch;
	size_t scratch_used, scratch_cap;
	const char *fdname; /* fd.name, made on demand */
	bool fdname_done;
	bool drift_pending; /* a rule needed the image's file list, not read yet */
};

/* Check a record's layout (sizes, string lengths) and fill ev's strings.
 * false for a malformed record (counted, never trusted). */
bool bw_mon_decode(const void *rec, size_t len, struct bw_mon_event *ev);
/* Copy a string into the event's scratch space (NULL when it is full). */
char *bw_mon_ev_strdup(struct bw_mon_event *ev, const char *s, size_t n);
char *bw_mon_ev_printf(struct bw_mon_event *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- fields (fields.c) --------------------------------------------------------- */

enum bw_mon_ftype {
	BW_FT_STR = 0,
	BW_FT_INT,
	BW_FT_BOOL,
	BW_FT_IP,
	BW_FT_NET, /* an address compared with networks */
	BW_FT_PORT,
	BW_FT_CHAR, /* fd.typechar */
	BW_FT_RELTIME,
	BW_FT_ABSTIME,
};

#define BW_FF_ARG_REQ (1u << 0)	     /* needs [ARG] */
#define BW_FF_ARG_OPT (1u << 1)	     /* may have [ARG] */
#define BW_FF_ARG_INDEX (1u << 2)    /* the argument is a number */
#define BW_FF_ANY_ANCESTOR (1u << 3) /* without an index: true when any ancestor matches */
#define BW_FF_UNSUPPORTED (1u << 4)  /* a Falco field this engine cannot fill */
#define BW_FF_DRIFT (1u << 5)	     /* needs the image's file list */
#define BW_FF_NOFANOTIFY (1u << 6)   /* not filled by the fanotify source */
#define BW_FF_ARG_DOT (1u << 7)	     /* the argument may follow a dot: evt.arg.flags */

struct bw_mon_val {
	enum bw_mon_ftype type;
	int64_t i;
	const char *s;
	size_t len;
	uint8_t ip[16];
	uint8_t ip2[16]; /* fd.ip, fd.net: the other end, which matches too */
	bool has_ip2;
	int family; /* 4 or 6 for addresses */
};

struct bw_mon_field;
typedef bool (*bw_mon_extract_fn)(struct bw_mon_event *ev, const struct bw_mon_field *f, const char *arg,
				  int64_t argn, struct bw_mon_val *out);

struct bw_mon_field {
	const char *name;
	enum bw_mon_ftype type;
	unsigned flags;
	uint32_t kinds; /* bit (1 << kind): records where it has a value; 0: every record */
	bw_mon_extract_fn extract;
	const char *desc;
};
extern const struct bw_mon_field bw_mon_fields[];
extern const size_t bw_mon_n_fields;
/* Find a field by its full text ("proc.aname[2]", "evt.arg.flags"): the
 * argument (index or key) is returned in *arg (a pointer into name, *arglen
 * bytes; none: NULL). NULL when no field has that name. */
const struct bw_mon_field *bw_mon_field_find(const char *name, size_t len, const char **arg, size_t *arglen);
/* A value rendered as text for outputs ("<NA>" when absent). */
const char *bw_mon_field_render(struct bw_mon_event *ev, const struct bw_mon_field *f, const char *arg,
				int64_t argn);

/* Renderings and event values shared by the fields (fields.c, args.c). */
bool bw_mon_arg(struct bw_mon_event *ev, const char *name, struct bw_mon_val *out);
bool bw_mon_arg_index(struct bw_mon_event *ev, int64_t i, struct bw_mon_val *out);
const char *bw_mon_args_str(struct bw_mon_event *ev);
const char *bw_mon_open_flags_str(struct bw_mon_event *ev, uint32_t flags);
const char *bw_mon_mode_str(struct bw_mon_event *ev, uint32_t mode);
const char *bw_mon_domain_str(struct bw_mon_event *ev, uint32_t domain);
const char *bw_mon_errno_name(struct bw_mon_event *ev, int64_t ret);
const char *bw_mon_addr_str(struct bw_mon_event *ev, int family, const uint8_t *addr);
const char *bw_mon_caps_str(struct bw_mon_event *ev, uint64_t caps);
/* fd.name of the event (a file's cleaned absolute path, a socket's
 * "client:port->server:port", "memfd:NAME"), NULL when it has none. */
const char *bw_mon_fd_name(struct bw_mon_event *ev);
/* The absolute path of a path record's string i (chmod, unlink, rename,
 * link): made absolute with the cwd or directory the kernel sent. */
const char *bw_mon_fs_path(struct bw_mon_event *ev, int i);
/* Clean a path lexically ("//", ".", "..") keeping it absolute, into out
 * (at least len + 2 bytes). */
void bw_mon_clean_path(const char *in, size_t len, char *out);

/* ---- conditions (cond.c: parser; compile.c: resolution and folding; eval.c) ---- */

enum bw_mon_cnode_kind {
	BW_CN_AND = 0,
	BW_CN_OR,
	BW_CN_NOT,
	BW_CN_CHECK,
	BW_CN_MACRO, /* a reference, before resolution */
	BW_CN_TRUE,
	BW_CN_FALSE,
};

enum bw_mon_cmp {
	BW_CMP_EQ = 0,
	BW_CMP_NE,
	BW_CMP_LT,
	BW_CMP_LE,
	BW_CMP_GT,
	BW_CMP_GE,
	BW_CMP_CONTAINS,
	BW_CMP_ICONTAINS,
	BW_CMP_BCONTAINS,
	BW_CMP_STARTSWITH,
	BW_CMP_BSTARTSWITH,
	BW_CMP_ENDSWITH,
	BW_CMP_GLOB,
	BW_CMP_IGLOB,
	BW_CMP_REGEX,
	BW_CMP_PMATCH,
	BW_CMP_IN,
	BW_CMP_INTERSECTS,
	BW_CMP_EXISTS,
};
const char *bw_mon_cmp_name(enum bw_mon_cmp c);

/* A value of a check as written (a list's items once lists are expanded),
 * then typed for its field. */
struct bw_mon_cval {
	const char *s; /* the text, unquoted */
	size_t len;
	bool quoted;
	uint32_t pos;
	int64_t i;
	uint8_t ip[16];
	int family, prefix; /* addresses and networks */
	bool is_net;
};

struct bw_mon_cnode {
	enum bw_mon_cnode_kind kind;
	uint32_t pos; /* byte offset in the condition's text */
	struct bw_mon_cnode **kids;
	size_t nkids;
	/* CHECK and MACRO */
	const char *ident; /* field or macro name as written */
	const struct bw_mon_field *field;
	const char *arg;
	int64_t argn;
	enum bw_mon_cmp cmp;
	bool list; /* the values were a parenthesised list */
	struct bw_mon_cval *vals;
	size_t nvals;
	const char **sorted; /* =/in over many strings: sorted for bsearch */
	void *re;	     /* pcre2_code of regex */
};

/* Parse a condition (Falco's filter syntax) into nodes from arena. On a
 * syntax error: BW_EUSAGE with "position N: …" in err and *errpos set. */
int bw_mon_cond_parse(struct bw_arena *a, const char *text, size_t len, struct bw_mon_cnode **out,
		      uint32_t *errpos, struct bw_error *err);

/* ---- rules (rules.c: YAML loader; compile.c) ------------------------------------ */

struct bw_mon_fmt_piece {
	const char *text; /* literal text, or NULL for a field */
	size_t len;
	const struct bw_mon_field *field;
	const char *arg;
	int64_t argn;
};

struct bw_mon_rule {
	const char *name, *desc, *output, *source, *priority;
	const char *id; /* bulwark's id (BW-RT-NNN) or the rule's name */
	const char **equivalent;
	size_t n_equivalent;
	const char **tags;
	size_t n_tags;
	enum bw_severity severity;
	bool enabled;
	const char *file;
	int line, col;
	const char *cond_text;
	int cond_line, cond_col;
	struct bw_mon_cnode *cond; /* resolved, with exceptions; before folding */
	struct bw_mon_fmt_piece *fmt;
	size_t n_fmt;
	const struct bw_mon_field **out_fields; /* fields of the output, for output_fields */
	const char **out_args;
	int64_t *out_argns;
	size_t n_out_fields;
	bool needs_drift;
	/* rate limiting and counters (the run's) */
	double tokens, last;
	uint64_t fired, limited;
};

/* What the kernel side should keep, derived from the rules. */
struct bw_mon_kconfig {
	uint32_t flags; /* BW_CFG_* */
	uint32_t kinds; /* hooks that are not syscalls */
	bool evtype_on[BW_MON_MAX_EVTYPES];
	char prefixes[BW_EV_PREFIXES][BW_EV_PREFIX_LEN];
	bool prefix_write_only[BW_EV_PREFIXES];
	size_t n_prefixes;
	/* flows only (flows.c): the source loads no program but the TCP state
	 * hook, sys_exit and connect's (the verifier's time is the start's) */
	bool flows_only;
};

struct bw_mon_decision {
	struct bw_mon_rule *rule;
	struct bw_mon_cnode *cond; /* folded for the event type */
};

struct bw_mon_ruleset {
	struct bw_arena arena;
	struct bw_mon_rule **rules;
	size_t n_rules;
	struct bw_mon_decision *by_type[BW_MON_MAX_EVTYPES];
	size_t n_by_type[BW_MON_MAX_EVTYPES];
	struct bw_mon_kconfig k;
	bool needs_drift;
	void **regex; /* pcre2_code of every regex check */
	size_t n_regex;
	struct bw_monitor_check check; /* what --dry-run lists */
};

/* What the YAML loader (rules.c) hands the compiler (compile.c): lists,
 * macros and rules by name after every append and override, with where
 * each was defined. Strings live in the builder's arena. */
struct bw_mon_src_pos {
	const char *file;
	int line, col;
};

struct bw_mon_blist {
	const char *name;
	struct bw_mon_cval *items; /* as written: quoted or bare */
	size_t n, cap;
	struct bw_mon_src_pos pos;
	int visiting; /* expansion: cycle detection */
};

struct bw_mon_bmacro {
	const char *name;
	const char *cond;
	size_t cond_len;
	struct bw_mon_src_pos pos, cond_pos;
	struct bw_mon_cnode *parsed;
	int visiting;
	bool used;
};

struct bw_mon_bexception {
	const char *name;
	const char **fields;
	size_t nfields;
	bool single; /* fields was one field, values a plain list */
	const char **comps;
	/* values: rows of nfields cells; a cell is a list of values when its
	 * comparison takes one (in, pmatch, intersects) */
	struct bw_mon_cval **cells; /* cells[row * nfields + col] */
	size_t *ncell;
	size_t nrows;
	struct bw_mon_src_pos pos;
};

struct bw_mon_brule {
	const char *name, *desc, *output, *priority, *source, *id;
	const char **equivalent;
	size_t n_equivalent;
	const char *cond;
	size_t cond_len;
	const char **tags;
	size_t n_tags;
	bool enabled;
	bool skip_if_unknown_filter;
	struct bw_mon_bexception *exc;
	size_t n_exc;
	struct bw_mon_src_pos pos, cond_pos;
	bool cond_appended; /* cond_pos no longer maps positions */
};

struct bw_mon_builder {
	struct bw_arena arena;
	struct bw_mon_blist **lists;
	size_t n_lists;
	struct bw_mon_bmacro **macros;
	size_t n_macros;
	struct bw_mon_brule **rules;
	size_t n_rules;
	struct bw_mon_hash list_by_name, macro_by_name, rule_by_name;
	char **warnings;
	size_t n_warnings;
	const char *required_engine;
};

/* Parse one rule file's text into the builder (appends and overrides apply
 * to what earlier files defined). Errors: BW_EUSAGE "FILE:LINE:COL: …". */
int bw_mon_builder_add(struct bw_mon_builder *b, const char *name, const char *text, size_t len,
		       struct bw_error *err);
void bw_mon_builder_init(struct bw_mon_builder *b);
void bw_mon_builder_release(struct bw_mon_builder *b);
void bw_mon_builder_warn(struct bw_mon_builder *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Compile what the builder holds into a ruleset. */
int bw_mon_compile(struct bw_mon_builder *b, bool skip_unsupported, bool fanotify,
		   struct bw_mon_ruleset **out, struct bw_error *err);

/* Load and compile rule files (or the default rules) into a ruleset. */
int bw_mon_rules_load(const struct bw_monitor_rule_opts *o, struct bw_mon_ruleset **out,
		      struct bw_error *err);
void bw_mon_ruleset_free(struct bw_mon_ruleset *rs);
/* Load from memory: name is the file's name in messages (fuzzing, tests). */
int bw_mon_rules_load_buffers(const char *const *names, const char *const *texts, const size_t *lens,
			      size_t n, bool skip_unsupported, bool fanotify, struct bw_mon_ruleset **out,
			      struct bw_error *err);

/* Compare a text with a check's values (the check's operator). */
bool bw_mon_cmp_str(const struct bw_mon_cnode *n, const char *s, size_t len);
/* Resolve a host name in the background, for fd.sip.name and kin. */
void bw_mon_resolve_later(const char *name);

/* Evaluate a folded condition on an event. */
bool bw_mon_eval(struct bw_mon_cnode *n, struct bw_mon_event *ev);
/* The output text of a rule for an event (in the event's scratch). */
const char *bw_mon_format(const struct bw_mon_rule *r, struct bw_mon_event *ev);

/* ---- event sources (source.c, source_bpf.c, source_fanotify.c) ----------------- */

struct bw_mon_src_counters {
	uint64_t events, drops, filtered;
	uint64_t drops_cpu[256];
	int ncpu;
};

typedef void (*bw_mon_record_fn)(void *ud, const void *rec, size_t len);

struct bw_mon_source_ops {
	const char *name;
	/* 0 when it can run here, else BW_EUNSUPPORTED with why in err */
	int (*probe)(struct bw_error *err);
	int (*open)(const struct bw_monitor_opts *o, const struct bw_mon_kconfig *k, void **state,
		    bw_monitor_log_fn log, void *log_ud, struct bw_error *err);
	/* apply a new configuration (a rules reload) without losing records */
	int (*configure)(void *state, const struct bw_mon_kconfig *k, struct bw_error *err);
	/* deliver what is there, waiting at most timeout_ms; the number of records */
	int (*poll)(void *state, int timeout_ms, bw_mon_record_fn cb, void *ud);
	void (*counters)(void *state, struct bw_mon_src_counters *c);
	/* learning counters: syscalls (which = 0) or capabilities (1) per
	 * cgroup; fn called for each, the counters are then cleared */
	void (*learn_counts)(void *state, int which,
			     void (*fn)(void *ud, uint64_t cgroup, uint32_t id, uint64_t n), void *ud);
	bool (*has_capable)(void *state);
	void (*close)(void *state);
};
extern const struct bw_mon_source_ops bw_mon_source_bpf, bw_mon_source_fanotify;

/* ---- outputs (sink.c) ------------------------------------------------------------ */

struct bw_mon_sinks;
int bw_mon_sinks_open(const struct bw_monitor_opts *o, struct bw_mon_sinks **out, struct bw_error *err);
/* One alert: json is the line (consumed), text the human line, sev its
 * severity. Never blocks on a slow webhook (a bounded queue; overflow is
 * counted). */
void bw_mon_sinks_alert(struct bw_mon_sinks *s, json_t *json, const char *text, enum bw_severity sev);
/* A counters line (consumed). */
void bw_mon_sinks_stats(struct bw_mon_sinks *s, json_t *json);
void bw_mon_sinks_counters(struct bw_mon_sinks *s, uint64_t *webhook_sent, uint64_t *webhook_failed,
			   uint64_t *webhook_dropped, uint64_t *write_errors);
void bw_mon_sinks_close(struct bw_mon_sinks *s);

/* ---- flows only (flows.c) ------------------------------------------------------- */

/* The container of a socket's cgroup, NULL for the host. */
typedef const struct bw_mon_container *(*bw_mon_flows_ctr_fn)(void *ud, uint64_t cgroup_id, uint32_t pid);

#define BW_MON_FLOWS_CONNECTING 1024

/* Records to flows: TCP state changes and UDP connect()s; the process of a
 * TCP client comes from its SYN_SENT record (process context, no port
 * yet), kept until the connection's outcome arrives. */
struct bw_mon_flows {
	bw_mon_flows_ctr_fn ctr;
	void *ctr_ud;
	bw_monitor_flow_fn fn;
	void *ud;
	struct bw_mon_connecting {
		uint64_t cgroup_id;
		int family;
		uint8_t laddr[16], raddr[16];
		uint16_t rport;
		uint32_t pid;
		char comm[BW_EV_COMM + 1];
	} connecting[BW_MON_FLOWS_CONNECTING];
	size_t next;	   /* ring position of the next connecting entry */
	uint32_t self_pid; /* connections of this process are not flows (its engine client) */
	uint64_t records, flows, decode_errors, own;
	bool stop; /* fn asked to end */
};

void bw_mon_flows_init(struct bw_mon_flows *t, bw_mon_flows_ctr_fn ctr, void *ctr_ud, bw_monitor_flow_fn fn,
		       void *ud);
/* One record from the source (any kind: the others are skipped). */
void bw_mon_flows_record(struct bw_mon_flows *t, const void *rec, size_t len);

/* ---- the run (monitor.c) ------------------------------------------------------ */

struct bw_mon_drift;
struct bw_mon_learn;

struct bw_mon {
	const struct bw_monitor_opts *o;
	struct bw_monitor_opts src_opts; /* what the source was opened with (outlives it) */
	struct bw_mon_ruleset *rs;
	const struct bw_mon_source_ops *src;
	void *src_state;
	struct bw_mon_proctab procs;
	struct bw_mon_attrib *attrib;
	struct bw_mon_sinks *sinks;
	struct bw_mon_drift *drift;
	struct bw_mon_learn *learn;
	uint64_t boot_to_epoch_ns;
	uint32_t host_mntns;
	char hostname[256];
	uint64_t nevents, nalerts, ndecode_errors, ndeferred;
	char scratch[65536];
	struct bw_mon_event *cur;
};

void bw_mon_log(struct bw_mon *m, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- drift against the image's layers (drift.c) ---------------------------------- */

int bw_mon_drift_new(struct bw_mon *m, struct bw_mon_drift **out);
void bw_mon_drift_free(struct bw_mon_drift *d);
/* Is the executable of p in c's image? 1 not in it (or changed after the
 * container started), 0 in it, -1 not known yet (the image is being read:
 * the record is kept and evaluated again later). */
int bw_mon_drift_check(struct bw_mon_drift *d, struct bw_mon_container *c, struct bw_mon_proc *p);
/* Keep a record whose drift check is pending. */
void bw_mon_drift_defer(struct bw_mon_drift *d, struct bw_mon_container *c, const void *rec, size_t len);
/* Whether records still wait for an image. */
bool bw_mon_drift_pending(struct bw_mon_drift *d);
/* Records whose image is now read: fn called for each (then freed). */
void bw_mon_drift_ready(struct bw_mon_drift *d, void (*fn)(void *ud, const void *rec, size_t len), void *ud);

/* ---- learning and drift from learned profiles (learn.c) ------------------------- */

int bw_mon_learn_new(struct bw_mon *m, struct bw_mon_learn **out, struct bw_error *err);
/* An event of a container: record it (learning) or compare it (drift). */
void bw_mon_learn_event(struct bw_mon_learn *l, struct bw_mon_event *ev);
/* Read the kernel's per-cgroup counters (periodically and at the end). */
void bw_mon_learn_poll(struct bw_mon_learn *l);
/* Save what was learned (the end of a learning run). */
int bw_mon_learn_finish(struct bw_mon_learn *l, double seconds, struct bw_error *err);
void bw_mon_learn_free(struct bw_mon_learn *l);
/* Raise one runtime alert (drift alerts and rules alike go through it). */
void bw_mon_emit_alert(struct bw_mon *m, struct bw_mon_event *ev, const char *id, const char *title,
		       enum bw_severity sev, const char *priority, const char *rule, const char *output,
		       const char *const *equivalent, size_t n_equivalent, const char *const *tags,
		       size_t n_tags, json_t *extra);

/* An image name or id -> its id ("sha256:…"), through the engine. */
char *bw_mon_image_id(const char *docker_host, const char *image, struct bw_error *err);
/* The syscalls of a profile: name -> times seen (borrowed). */
json_t *bw_mon_profile_syscalls(const struct bw_monitor_profile *p);

/* Capabilities by number ("CAP_CHOWN"); NULL past the last. */
const char *bw_mon_cap_name(int cap);
int bw_mon_cap_by_name(const char *name);

#endif
