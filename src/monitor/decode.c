/* Decoding the records of bpf/events.h: every size and length is checked
 * against the record before anything is read, since the bytes are not
 * trusted (a record of a newer layout, a truncated one, fuzzed input).
 * Strings a record lacks (the kernel ran out of room) are left missing. */
#include "monitor-int.h"

static const struct {
	uint16_t fixed;
	uint8_t nstr;
} kinds[BW_EV__COUNT] = {
    [BW_EV_EXEC] = {sizeof(struct bw_ev_exec), 5},
    [BW_EV_EXEC_FAIL] = {sizeof(struct bw_ev_exec_fail), 1},
    [BW_EV_FORK] = {sizeof(struct bw_ev_fork), 0},
    [BW_EV_EXIT] = {sizeof(struct bw_ev_exit), 0},
    [BW_EV_OPEN] = {sizeof(struct bw_ev_open), 2},
    [BW_EV_CONNECT] = {sizeof(struct bw_ev_sock), 1},
    [BW_EV_ACCEPT] = {sizeof(struct bw_ev_sock), 1},
    [BW_EV_BIND] = {sizeof(struct bw_ev_sock), 1},
    [BW_EV_LISTEN] = {sizeof(struct bw_ev_sock), 1},
    [BW_EV_SETID] = {sizeof(struct bw_ev_setid), 0},
    [BW_EV_CAPSET] = {sizeof(struct bw_ev_capset), 0},
    [BW_EV_MOUNT] = {sizeof(struct bw_ev_mount), 3},
    [BW_EV_UMOUNT] = {sizeof(struct bw_ev_umount), 1},
    [BW_EV_PTRACE] = {sizeof(struct bw_ev_ptrace), 0},
    [BW_EV_MODULE] = {sizeof(struct bw_ev_module), 1},
    [BW_EV_UNSHARE] = {sizeof(struct bw_ev_ns), 0},
    [BW_EV_SETNS] = {sizeof(struct bw_ev_ns), 0},
    [BW_EV_MEMFD] = {sizeof(struct bw_ev_memfd), 1},
    [BW_EV_CHMOD] = {sizeof(struct bw_ev_chmod), 2},
    [BW_EV_UNLINK] = {sizeof(struct bw_ev_path2), 2},
    [BW_EV_RENAME] = {sizeof(struct bw_ev_path2), 2},
    [BW_EV_SYMLINK] = {sizeof(struct bw_ev_path2), 2},
    [BW_EV_LINK] = {sizeof(struct bw_ev_path2), 2},
    [BW_EV_DUP] = {sizeof(struct bw_ev_sock), 1},
    [BW_EV_SOCKET] = {sizeof(struct bw_ev_socket), 0},
    [BW_EV_TCP_STATE] = {sizeof(struct bw_ev_tcp), 0},
};

bool bw_mon_decode(const void *rec, size_t len, struct bw_mon_event *ev)
{
	const struct bw_ev_hdr *h = rec;
	ev->nstr = 0;
	ev->fdname = NULL;
	ev->fdname_done = false;
	ev->drift_pending = false;
	if (len < sizeof(*h) || h->size > len || h->size < sizeof(*h))
		return false;
	if (h->kind == 0 || h->kind >= BW_EV__COUNT)
		return false;
	len = h->size;
	size_t off = sizeof(*h) + kinds[h->kind].fixed;
	if (off > len)
		return false;
	ev->hdr = h;
	ev->fixed = (const char *)rec + sizeof(*h);
	int nstr = kinds[h->kind].nstr;
	if (h->kind == BW_EV_EXEC_FAIL) {
		uint32_t n = ((const struct bw_ev_exec_fail *)ev->fixed)->argc_read;
		if (n > BW_MON_MAX_STRS - 1)
			return false;
		nstr += (int)n;
	}
	for (int i = 0; i < nstr; i++) {
		struct bw_mon_str *s = &ev->str[i];
		struct bw_ev_str sh;
		if (off + sizeof(sh) > len) {
			/* the kernel had no room left for the rest */
			s->p = "";
			s->len = 0;
			s->flags = BW_STRF_MISSING;
			continue;
		}
		memcpy(&sh, (const char *)rec + off, sizeof(sh));
		off += sizeof(sh);
		if (sh.len > len - off)
			return false;
		s->p = (const char *)rec + off;
		s->len = sh.len;
		s->flags = sh.flags & (BW_STRF_TRUNCATED | BW_STRF_MISSING);
		if (s->flags & BW_STRF_MISSING)
			s->len = 0;
		off += sh.len;
	}
	ev->nstr = nstr;
	ev->evtype = bw_mon_evtype_of(h->kind, h->syscall == BW_EV_NO_SYSCALL ? -1 : h->syscall);
	return ev->evtype >= 0;
}

char *bw_mon_ev_strdup(struct bw_mon_event *ev, const char *s, size_t n)
{
	if (!ev->scratch || n + 1 > ev->scratch_cap - ev->scratch_used)
		return NULL;
	char *d = ev->scratch + ev->scratch_used;
	memcpy(d, s, n);
	d[n] = '\0';
	ev->scratch_used += n + 1;
	return d;
}

char *bw_mon_ev_printf(struct bw_mon_event *ev, const char *fmt, ...)
{
	if (!ev->scratch || ev->scratch_used >= ev->scratch_cap)
		return NULL;
	size_t room = ev->scratch_cap - ev->scratch_used;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(ev->scratch + ev->scratch_used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return NULL;
	char *d = ev->scratch + ev->scratch_used;
	ev->scratch_used += (size_t)n + 1;
	return d;
}
