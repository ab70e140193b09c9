/* The event types this monitor produces, named as Falco names them
 * (evt.type), with the eBPF program that records each syscall; and the
 * syscall names of the running architecture, from libseccomp. */
#include <seccomp.h>

#include "monitor-int.h"

const struct bw_mon_evtype bw_mon_evtypes[] = {
    {"execve", BW_EV_EXEC, "bw_sys_execve"},
    {"execveat", BW_EV_EXEC, "bw_sys_execveat"},
    {"clone", BW_EV_FORK, NULL},
    {"clone3", BW_EV_FORK, NULL},
    {"fork", BW_EV_FORK, NULL},
    {"vfork", BW_EV_FORK, NULL},
    {"procexit", BW_EV_EXIT, NULL},
    {"open", BW_EV_OPEN, "bw_sys_open"},
    {"openat", BW_EV_OPEN, "bw_sys_openat"},
    {"openat2", BW_EV_OPEN, "bw_sys_openat2"},
    {"creat", BW_EV_OPEN, "bw_sys_creat"},
    {"connect", BW_EV_CONNECT, "bw_sys_connect"},
    {"accept", BW_EV_ACCEPT, "bw_sys_accept"},
    {"accept4", BW_EV_ACCEPT, "bw_sys_accept4"},
    {"bind", BW_EV_BIND, "bw_sys_bind"},
    {"listen", BW_EV_LISTEN, "bw_sys_listen"},
    {"setuid", BW_EV_SETID, "bw_sys_setid1"},
    {"setgid", BW_EV_SETID, "bw_sys_setid1"},
    {"setreuid", BW_EV_SETID, "bw_sys_setid2"},
    {"setregid", BW_EV_SETID, "bw_sys_setid2"},
    {"setresuid", BW_EV_SETID, "bw_sys_setid3"},
    {"setresgid", BW_EV_SETID, "bw_sys_setid3"},
    {"capset", BW_EV_CAPSET, "bw_sys_capset"},
    {"mount", BW_EV_MOUNT, "bw_sys_mount"},
    {"umount2", BW_EV_UMOUNT, "bw_sys_umount2"},
    {"ptrace", BW_EV_PTRACE, "bw_sys_ptrace"},
    {"init_module", BW_EV_MODULE, "bw_sys_init_module"},
    {"finit_module", BW_EV_MODULE, "bw_sys_finit_module"},
    {"unshare", BW_EV_UNSHARE, "bw_sys_unshare"},
    {"setns", BW_EV_SETNS, "bw_sys_setns"},
    {"memfd_create", BW_EV_MEMFD, "bw_sys_memfd_create"},
    {"chmod", BW_EV_CHMOD, "bw_sys_chmod"},
    {"fchmod", BW_EV_CHMOD, "bw_sys_fchmod"},
    {"fchmodat", BW_EV_CHMOD, "bw_sys_fchmodat"},
    {"fchmodat2", BW_EV_CHMOD, "bw_sys_fchmodat"},
    {"unlink", BW_EV_UNLINK, "bw_sys_unlink"},
    {"unlinkat", BW_EV_UNLINK, "bw_sys_unlinkat"},
    {"rename", BW_EV_RENAME, "bw_sys_rename"},
    {"renameat", BW_EV_RENAME, "bw_sys_renameat"},
    {"renameat2", BW_EV_RENAME, "bw_sys_renameat2"},
    {"symlink", BW_EV_SYMLINK, "bw_sys_symlink"},
    {"symlinkat", BW_EV_SYMLINK, "bw_sys_symlinkat"},
    {"link", BW_EV_LINK, "bw_sys_link"},
    {"linkat", BW_EV_LINK, "bw_sys_linkat"},
    {"dup", BW_EV_DUP, "bw_sys_dup"},
    {"dup2", BW_EV_DUP, "bw_sys_dup"},
    {"dup3", BW_EV_DUP, "bw_sys_dup"},
    {"socket", BW_EV_SOCKET, "bw_sys_socket"},
    {"tcp_state", BW_EV_TCP_STATE, NULL},
};
const size_t bw_mon_n_evtypes = BW_ARRAY_SIZE(bw_mon_evtypes);

_Static_assert(BW_ARRAY_SIZE(bw_mon_evtypes) <= BW_MON_MAX_EVTYPES, "too many event types");

/* Falco's events that are not syscalls (a rule may name them; this source
 * produces procexit only). */
static const char *const falco_events[] = {
    "procexit",	    "container", "switch",	"signaldeliver", "page_fault", "procinfo",
    "notification", "infra",	 "pluginevent", "tcp_state",	 "asyncevent", "k8s",
    "mesos",	    "drop",	 "sysdigevent", "cpu_hotplug",	 "tracer",     "execve",
    "execveat",	    "clone",	 "fork",	"vfork",
};

int bw_mon_evtype_by_name(const char *name)
{
	for (size_t i = 0; i < bw_mon_n_evtypes; i++)
		if (strcmp(bw_mon_evtypes[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *bw_mon_syscall_name(int nr)
{
	static char *names[1024];
	static bool filled[1024];
	if (nr < 0 || nr >= 1024)
		return NULL;
	if (!filled[nr]) {
		/* libseccomp allocates the name: keep it for the process's life */
		names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		filled[nr] = true;
	}
	return names[nr];
}

int bw_mon_syscall_nr(const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);
	return nr >= 0 ? nr : -1;
}

int bw_mon_evtype_nr(int evtype)
{
	if (evtype < 0 || (size_t)evtype >= bw_mon_n_evtypes || !bw_mon_evtypes[evtype].prog)
		return -1;
	return bw_mon_syscall_nr(bw_mon_evtypes[evtype].name);
}

int bw_mon_evtype_of(uint16_t kind, int syscall_nr)
{
	static int by_nr[1024];
	static bool init;
	if (!init) {
		for (size_t i = 0; i < BW_ARRAY_SIZE(by_nr); i++)
			by_nr[i] = -1;
		for (size_t i = 0; i < bw_mon_n_evtypes; i++) {
			int nr = bw_mon_syscall_nr(bw_mon_evtypes[i].name);
			if (nr >= 0 && nr < 1024)
				by_nr[nr] = (int)i;
		}
		init = true;
	}
	if (syscall_nr >= 0 && syscall_nr < 1024 && by_nr[syscall_nr] >= 0 &&
	    bw_mon_evtypes[by_nr[syscall_nr]].kind == kind)
		return by_nr[syscall_nr];
	/* a hook that is not a syscall, or a syscall we do not know by number */
	for (size_t i = 0; i < bw_mon_n_evtypes; i++)
		if (bw_mon_evtypes[i].kind == kind)
			return (int)i;
	return -1;
}

bool bw_mon_evtype_known(const char *name)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(falco_events); i++)
		if (strcmp(falco_events[i], name) == 0)
			return true;
	if (bw_mon_evtype_by_name(name) >= 0)
		return true;
	/* Falco names syscalls by their kernel names; libseccomp knows them all
	 * (also those of other architectures, such as "open" on arm64) */
	return seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name) >= 0 ||
	       seccomp_syscall_resolve_name_arch(SCMP_ARCH_AARCH64, name) >= 0 ||
	       seccomp_syscall_resolve_name(name) >= 0;
}
