/* The monitor benchmark's tight loops (bench/monitor/run.sh builds this):
 *   loops exec N     fork and exec /bin/true N times, waiting for each
 *   loops open N     open and close /etc/hostname N times
 * Each prints nothing; run.sh times them. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: loops exec|open N\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	if (strcmp(argv[1], "exec") == 0) {
		for (long i = 0; i < n; i++) {
			pid_t p = fork();
			if (p == 0) {
				execl("/bin/true", "true", (char *)NULL);
				_exit(127);
			}
			if (p < 0)
				return 1;
			int st;
			waitpid(p, &st, 0);
		}
		return 0;
	}
	if (strcmp(argv[1], "open") == 0) {
		for (long i = 0; i < n; i++) {
			int fd = open("/etc/hostname", O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
		return 0;
	}
	return 2;
}
