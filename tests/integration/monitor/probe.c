/* A test helper for the runtime monitor's integration tests: each
 * subcommand does one thing a rule watches for, inside a test container
 * (the binary is built static by the tests and bind-mounted read-only).
 * It never touches anything outside the container it runs in. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr,
		"usage: probe ptrace-traceme | ptrace-attach | memfd-exec | unshare | mount | setns |\n"
		"  packet-socket | finit-module | dup-socket | connect IP PORT | read PATH |\n"
		"  late-read SECONDS PATH | spawn-as UID PROG ARG... | write PATH | hello\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const char *cmd = argv[1];
	if (strcmp(cmd, "hello") == 0) {
		printf("hello from %s\n", argv[0]);
		return 0;
	}
	if (strcmp(cmd, "ptrace-traceme") == 0) {
		long r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		printf("traceme: %ld\n", r);
		return 0;
	}
	if (strcmp(cmd, "ptrace-attach") == 0) {
		pid_t child = fork();
		if (child == 0) {
			pause();
			_exit(0);
		}
		long r = ptrace(PTRACE_ATTACH, child, NULL, NULL);
		printf("attach: %ld (%s)\n", r, r ? strerror(errno) : "ok");
		if (r == 0) {
			waitpid(child, NULL, 0);
			ptrace(PTRACE_DETACH, child, NULL, NULL);
		}
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return 0;
	}
	if (strcmp(cmd, "memfd-exec") == 0) {
		int in = open("/proc/self/exe", O_RDONLY);
		int fd = (int)syscall(SYS_memfd_create, "payload", 0);
		if (in < 0 || fd < 0)
			return 1;
		char buf[65536];
		ssize_t n;
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(fd, buf, (size_t)n) != n)
				return 1;
		char *args[] = {"payload", "hello", NULL};
		char *env[] = {NULL};
		syscall(SYS_execveat, fd, "", args, env, AT_EMPTY_PATH);
		perror("execveat");
		return 1;
	}
	if (strcmp(cmd, "unshare") == 0) {
		int r = unshare(CLONE_NEWUTS);
		printf("unshare: %d (%s)\n", r, r ? strerror(errno) : "ok");
		return 0;
	}
	if (strcmp(cmd, "setns") == 0) {
		int fd = open("/proc/self/ns/uts", O_RDONLY);
		int r = setns(fd, CLONE_NEWUTS);
		printf("setns: %d (%s)\n", r, r ? strerror(errno) : "ok");
		return 0;
	}
	if (strcmp(cmd, "mount") == 0) {
		mkdir("/tmp/m", 0755);
		int r = mount("none", "/tmp/m", "tmpfs", 0, NULL);
		printf("mount: %d (%s)\n", r, r ? strerror(errno) : "ok");
		if (r == 0)
			umount2("/tmp/m", 0);
		return 0;
	}
	if (strcmp(cmd, "packet-socket") == 0) {
		int s = socket(AF_PACKET, SOCK_RAW, 0);
		printf("packet socket: %d (%s)\n", s, s < 0 ? strerror(errno) : "ok");
		return 0;
	}
	if (strcmp(cmd, "finit-module") == 0) {
		int fd = open("/dev/null", O_RDONLY);
		long r = syscall(SYS_finit_module, fd, "", 0);
		printf("finit_module: %ld (%s)\n", r, r ? strerror(errno) : "ok");
		return 0;
	}
	if (strcmp(cmd, "dup-socket") == 0) {
		int l = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		socklen_t al = sizeof(a);
		if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
		    getsockname(l, (struct sockaddr *)&a, &al))
			return 1;
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof(a)))
			return 1;
		int s = accept(l, NULL, NULL);
		if (dup2(c, 1) < 0)
			return 1;
		fprintf(stderr, "stdout is a socket now (%d)\n", s);
		return 0;
	}
	if (strcmp(cmd, "connect") == 0 && argc == 4) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = {.sin_family = AF_INET,
					.sin_port = htons((uint16_t)strtol(argv[3], NULL, 10))};
		inet_pton(AF_INET, argv[2], &a.sin_addr);
		int r = connect(c, (struct sockaddr *)&a, sizeof(a));
		printf("connect: %d (%s)\n", r, r ? strerror(errno) : "ok");
		return 0;
	}
	if (strcmp(cmd, "read") == 0 && argc == 3) {
		int fd = open(argv[2], O_RDONLY);
		printf("open %s: %d\n", argv[2], fd);
		return 0;
	}
	if (strcmp(cmd, "write") == 0 && argc == 3) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		printf("open for writing %s: %d\n", argv[2], fd);
		return 0;
	}
	if (strcmp(cmd, "late-read") == 0 && argc == 4) {
		sleep((unsigned)strtol(argv[2], NULL, 10));
		int fd = open(argv[3], O_RDONLY);
		printf("open %s: %d\n", argv[3], fd);
		return 0;
	}
	if (strcmp(cmd, "spawn-as") == 0 && argc >= 4) {
		pid_t p = fork();
		if (p == 0) {
			uid_t u = (uid_t)strtol(argv[2], NULL, 10);
			if (setgid(u) || setuid(u))
				_exit(1);
			execv(argv[3], argv + 3);
			_exit(127);
		}
		int st = 0;
		waitpid(p, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	return usage();
}
