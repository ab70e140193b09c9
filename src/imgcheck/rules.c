/* The image-configuration rule table: one row per rule, in id order, with
 * its Dockle / CIS Docker Benchmark 4.x / Trivy peer ids, a rationale and
 * a bad and a good Dockerfile (the image built from it breaks / follows the
 * rule; tests/images/config-* build them for real). docs/rules/image.md is
 * written from it. */
#include "imgcheck-int.h"

const struct img_rule img_rules[IMG__COUNT] = {
    [IMG_ROOT_USER] =
	{"BW-IMG-001", .severity = BW_SEV_HIGH, .title = "Image runs as root",
	 .equivalent = {"CIS-DI-0001", "CIS-4.1", "DS002", NULL},
	 .rationale = "The configuration's User is empty, root or 0, so every container starts its "
		      "process as root unless the operator remembers --user. Root in a container is one "
		      "kernel or runtime bug away from root on the host.",
	 .bad = "FROM debian:12\nCOPY app /app\nCMD [\"/app\"]\n",
	 .good = "FROM debian:12\nRUN useradd -r -u 10001 app\nCOPY app /app\nUSER 10001\nCMD [\"/app\"]\n",
	 .remediation = "Create an unprivileged user in the image and end the Dockerfile with USER <uid>."},
    [IMG_NO_HEALTHCHECK] =
	{"BW-IMG-002", .severity = BW_SEV_LOW, .title = "Image has no HEALTHCHECK",
	 .equivalent = {"CIS-DI-0006", "CIS-4.6", "DS026", NULL},
	 .rationale = "Without a health check the engine (and swarm) only knows whether the process runs, "
		      "not whether it serves; a hung service is never restarted.",
	 .bad = "FROM debian:12\nCMD [\"/app\"]\n",
	 .good = "FROM debian:12\nHEALTHCHECK --interval=30s CMD [\"/app\", \"--health\"]\nCMD [\"/app\"]\n",
	 .remediation =
	     "Add a HEALTHCHECK instruction that probes the service (HEALTHCHECK NONE counts as none)."},
    [IMG_SETUID] =
	{"BW-IMG-003", .severity = BW_SEV_LOW, .title = "setuid or setgid file",
	 .equivalent = {"CIS-DI-0008", "CIS-4.8", NULL},
	 .rationale = "setuid/setgid programs run with their owner's rights whoever starts them: each is "
		      "a way to escalate privileges inside the container. Runtime images rarely need any.",
	 .bad = "FROM debian:12\nCMD [\"/app\"]\n",
	 .good = "FROM debian:12\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true\nCMD "
		 "[\"/app\"]\n",
	 .remediation = "Remove the setuid/setgid bits in the Dockerfile (chmod a-s) of every program the "
			"service does not need, or run with --security-opt no-new-privileges."},
    [IMG_WORLD_WRITABLE] =
	{"BW-IMG-004", .severity = BW_SEV_MEDIUM,
	 .title = "World-writable file, or directory without the sticky bit", .equivalent = {NULL},
	 .rationale = "Any user in the container can change a world-writable file (code, configuration) "
		      "or replace the entries of a world-writable directory that has no sticky bit.",
	 .bad = "FROM debian:12\nCOPY app /app\nRUN chmod -R 777 /app\n",
	 .good = "FROM debian:12\nCOPY --chown=10001:10001 app /app\nRUN chmod -R go-w /app\n",
	 .remediation = "Give the files to the user that must write them (COPY --chown) and drop o+w; "
			"shared scratch directories need mode 1777."},
    [IMG_PRIVATE_KEY] =
	{"BW-IMG-005", .severity = BW_SEV_HIGH, .title = "Private key left in the image",
	 .equivalent = {"CIS-DI-0010", "CIS-4.10", NULL},
	 .rationale = "Anyone who can pull the image can read every layer: a private key copied in (even "
		      "if a later layer deletes it) is published with the image.",
	 .bad = "FROM debian:12\nCOPY id_rsa /root/.ssh/id_rsa\nRUN git clone git@example.com:app.git && "
		"rm /root/.ssh/id_rsa\n",
	 .good = "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN --mount=type=ssh git clone "
		 "git@example.com:app.git\n",
	 .remediation = "Never COPY keys into a build: use build secrets or SSH forwarding (RUN "
			"--mount=type=secret / type=ssh), and rotate any key that shipped."},
    [IMG_CREDENTIAL_FILE] =
	{"BW-IMG-006", .severity = BW_SEV_HIGH, .title = "Credential file left in the image",
	 .equivalent = {"CIS-DI-0010", "CIS-4.10", NULL},
	 .rationale = "Registry and cloud credential files (.npmrc with _authToken, .pypirc, "
		      ".git-credentials, .netrc, .docker/config.json, .aws/credentials, .pgpass, "
		      ".htpasswd, service-account JSON) in any layer ship with the image.",
	 .bad = "FROM node:20\nCOPY .npmrc /root/.npmrc\nRUN npm ci\n",
	 .good = "# syntax=docker/dockerfile:1\nFROM node:20\nRUN "
		 "--mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n",
	 .remediation =
	     "Pass credentials as build secrets (RUN --mount=type=secret) and rotate any that shipped."},
    [IMG_DOTENV] =
	{"BW-IMG-007", .severity = BW_SEV_MEDIUM, .title = ".env file left in the image",
	 .equivalent = {"CIS-DI-0010", "CIS-4.10", NULL},
	 .rationale = ".env files hold a developer's or a deployment's secrets; COPY . . brings them into "
		      "the image.",
	 .bad = "FROM python:3.12\nCOPY . /app\n",
	 .good = "FROM python:3.12\n# .dockerignore lists .env\nCOPY . /app\n",
	 .remediation =
	     "List .env (and .env.*) in .dockerignore; give configuration to containers at run time."},
    [IMG_SHELL_HISTORY] =
	{"BW-IMG-008", .severity = BW_SEV_MEDIUM, .title = "Shell or REPL history left in the image",
	 .equivalent = {"DKL-LI-0003", NULL},
	 .rationale =
	     "A history file (.bash_history, .ash_history, .python_history, .mysql_history, …) records "
	     "commands typed while the image was prepared, often with passwords on the command line.",
	 .bad = "FROM debian:12\nCOPY rootfs/ /\n",
	 .good = "FROM debian:12\nCOPY rootfs/ /\nRUN rm -f /root/.*_history\n",
	 .remediation = "Do not build images from interactive sessions (docker commit); exclude history "
			"files from the build context."},
    [IMG_GIT_DIR] = {"BW-IMG-009", .severity = BW_SEV_MEDIUM, .title = ".git directory in the image",
		     .equivalent = {"DKL-LI-0003", NULL},
		     .rationale =
			 "A .git directory carries the whole history of the source, including files deleted "
			 "long ago and sometimes credentials in .git/config.",
		     .bad = "FROM debian:12\nCOPY . /src\n",
		     .good = "FROM debian:12\n# .dockerignore lists .git\nCOPY . /src\n",
		     .remediation =
			 "Add .git to .dockerignore, or copy only the build output from a build stage."},
    [IMG_PKG_CACHE] =
	{"BW-IMG-010", .severity = BW_SEV_LOW, .title = "Package-manager cache left in the image",
	 .equivalent = {"DKL-DI-0005", "DKL-DI-0004", "DL3009", "DL3019", NULL},
	 .rationale =
	     "Package indexes and downloaded archives (apt lists, .deb files, apk/yum/dnf/zypper caches, "
	     "pip/npm/yarn caches) make the image larger and go stale; they are never needed at run time.",
	 .bad = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n",
	 .good = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl "
		 "\\\n    && rm -rf /var/lib/apt/lists/*\n",
	 .remediation =
	     "Remove the cache in the same RUN that filled it (rm -rf /var/lib/apt/lists/*, apk add "
	     "--no-cache, pip --no-cache-dir, npm cache clean --force), or use a cache mount."},
    [IMG_LATEST_TAG] =
	{"BW-IMG-011", .severity = BW_SEV_MEDIUM, .title = "Image is tagged latest",
	 .equivalent = {"DKL-DI-0006", "DL3007", NULL},
	 .rationale = "`latest` says nothing about what is inside and moves with every push: deployments "
		      "are not reproducible and rollbacks guess.",
	 .bad = "docker build -t app .\n", .good = "docker build -t app:1.4.2 .\n",
	 .remediation = "Tag every image with a version (and deploy by digest)."},
    [IMG_ENV_CREDENTIAL] =
	{"BW-IMG-012", .severity = BW_SEV_HIGH, .title = "Credential in the image environment",
	 .equivalent = {"CIS-DI-0010", "CIS-4.10", "DS031", NULL},
	 .rationale = "ENV values are stored in the image configuration: anyone who can pull or inspect "
		      "the image reads them, and every process in every container inherits them.",
	 .bad = "FROM debian:12\nENV DB_PASSWORD=hunter2\n",
	 .good = "FROM debian:12\nENV DB_PASSWORD_FILE=/run/secrets/db_password\n",
	 .remediation = "Give secrets at run time (orchestrator secrets, files mounted read-only) and "
			"keep only their paths in ENV."},
    [IMG_BUILD_ARG_SECRET] =
	{"BW-IMG-013", .severity = BW_SEV_HIGH,
	 .title = "Secret build argument recorded in the image history",
	 .equivalent = {"CIS-DI-0010", "CIS-4.10", "DS031", NULL},
	 .rationale = "Build arguments used by a RUN are written into the history of the image (`|1 "
		      "TOKEN=… /bin/sh -c …`), readable with docker history.",
	 .bad = "FROM debian:12\nARG TOKEN\nRUN fetch --token \"$TOKEN\"\n",
	 .good = "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN --mount=type=secret,id=token fetch "
		 "--token-file /run/secrets/token\n",
	 .remediation = "Use build secrets (RUN --mount=type=secret) instead of ARG for credentials, and "
			"rotate the one that shipped."},
    [IMG_UPDATE_ALONE] =
	{"BW-IMG-014", .severity = BW_SEV_MEDIUM, .title = "Package index update alone in a layer",
	 .equivalent = {"CIS-DI-0007", "CIS-4.7", "DS017", NULL},
	 .rationale = "A RUN that only updates the package index is cached on its own: later builds "
		      "install from a stale index (or fail), and the index stays in the image.",
	 .bad = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n",
	 .good = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl "
		 "&& rm -rf /var/lib/apt/lists/*\n",
	 .remediation = "Update and install in the same RUN."},
    [IMG_ADD_IN_HISTORY] =
	{"BW-IMG-015", .severity = BW_SEV_LOW, .title = "ADD used in the image history",
	 .equivalent = {"CIS-DI-0009", "CIS-4.9", "DL3020", "DS005", NULL},
	 .rationale = "ADD fetches URLs and unpacks archives as a side effect; for local files COPY does "
		      "what it says. (The ADD of the base root filesystem is not reported.)",
	 .bad = "FROM debian:12\nADD app.tar.gz /opt/\n", .good = "FROM debian:12\nCOPY app/ /opt/app/\n",
	 .remediation =
	     "Use COPY for local files; download with a verified checksum in RUN or ADD --checksum."},
    [IMG_SUDO_IN_HISTORY] =
	{"BW-IMG-016", .severity = BW_SEV_MEDIUM, .title = "sudo used in the image history",
	 .equivalent = {"DKL-DI-0001", "DL3004", "DS010", NULL},
	 .rationale = "sudo in a build step means sudo is installed and configured in the image: a "
		      "privilege-escalation path that containers do not need.",
	 .bad = "FROM debian:12\nUSER app\nRUN sudo apt-get install -y curl\n",
	 .good = "FROM debian:12\nRUN apt-get install -y curl\nUSER app\n",
	 .remediation = "Run privileged steps as root before USER, and do not install sudo."},
    [IMG_UPGRADE_IN_HISTORY] =
	{"BW-IMG-017", .severity = BW_SEV_LOW, .title = "Distribution upgrade in the image history",
	 .equivalent = {"DKL-DI-0003", "DL3005", "DS024", NULL},
	 .rationale = "apt-get upgrade / dist-upgrade (apk upgrade, yum update, …) in a build pulls whatever "
		      "changed on the day: builds differ and the base image's maintainers are bypassed.",
	 .bad = "FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade\n",
	 .good = "FROM debian:12.5\n# rebuild on a newer base image instead\n",
	 .remediation = "Rebuild on an updated base image; install only the packages you need, pinned."},
    [IMG_SENSITIVE_VOLUME] =
	{"BW-IMG-018", .severity = BW_SEV_HIGH, .title = "Sensitive directory declared as a VOLUME",
	 .equivalent = {"DKL-DI-0002", NULL},
	 .rationale = "A VOLUME over /, /etc, /usr, /proc, /sys, /dev, /root, /run or the Docker socket "
		      "invites mounting host system paths into the container.",
	 .bad = "FROM debian:12\nVOLUME /etc\n", .good = "FROM debian:12\nVOLUME /var/lib/app\n",
	 .remediation = "Declare volumes only for application data directories."},
    [IMG_EMPTY_PASSWORD] =
	{"BW-IMG-019", .severity = BW_SEV_HIGH, .title = "Account with an empty password",
	 .equivalent = {"DKL-LI-0001", NULL},
	 .rationale = "An account whose /etc/shadow password field is empty can be entered without a "
		      "password (su, login).",
	 .bad = "FROM debian:12\nRUN useradd app && passwd -d app\n",
	 .good = "FROM debian:12\nRUN useradd app\n",
	 .remediation =
	     "Lock the account (passwd -l, or `!`/`*` in /etc/shadow) instead of clearing its password."},
    [IMG_DUPLICATE_ID] =
	{"BW-IMG-020", .severity = BW_SEV_MEDIUM, .title = "UID or GID shared by several accounts",
	 .equivalent = {"DKL-LI-0002", NULL},
	 .rationale = "Two accounts with the same UID (or groups with the same GID) are one identity: "
		      "files of one belong to the other, and a second UID 0 is a hidden root.",
	 .bad = "FROM debian:12\nRUN useradd -o -u 0 toor\n",
	 .good = "FROM debian:12\nRUN useradd -u 10001 app\n",
	 .remediation = "Give every account and group its own id."},
    [IMG_UNNECESSARY_PKGS] =
	{"BW-IMG-021", .severity = BW_SEV_LOW, .title = "Packages a runtime image does not need",
	 .equivalent = {"CIS-DI-0003", "CIS-4.3", NULL},
	 .rationale = "Editors, debuggers, network tools, an SSH server or sudo in a runtime image widen "
		      "its attack surface and give an intruder tools.",
	 .bad = "FROM debian:12\nRUN apt-get update && apt-get install -y vim netcat-openbsd "
		"openssh-server\n",
	 .good = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends "
		 "ca-certificates && rm -rf /var/lib/apt/lists/*\n",
	 .remediation = "Install only what the service runs; debug with an ephemeral container (docker "
			"run --pid container:X) instead."},
    [IMG_BUILD_TOOLS] =
	{"BW-IMG-022", .severity = BW_SEV_MEDIUM,
	 .title = "Build tools in the final image: use a multi-stage build",
	 .equivalent = {"CIS-DI-0003", "CIS-4.3", NULL},
	 .rationale = "Compilers, make, git, -dev packages and language build caches (Maven, Gradle, "
		      "Cargo, Go) are needed to build, not to run: they make the image large and hand an "
		      "intruder a tool chain.",
	 .bad = "FROM golang:1.22\nCOPY . /src\nRUN cd /src && go build -o /app\nCMD [\"/app\"]\n",
	 .good = "FROM golang:1.22 AS build\nCOPY . /src\nRUN cd /src && go build -o /app\n\nFROM "
		 "gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
	 .remediation = "Build in one stage and COPY --from only the artefacts into a slim final stage."},
    [IMG_UNVERIFIED_PKGS] =
	{"BW-IMG-023", .severity = BW_SEV_HIGH, .title = "Package signature verification disabled",
	 .equivalent = {"CIS-DI-0011", "CIS-4.11", NULL},
	 .rationale = "An apt source marked [trusted=yes], APT::Get::AllowUnauthenticated, or gpgcheck=0 "
		      "in yum/dnf installs packages nobody signed: whoever controls the mirror or the "
		      "path controls the image.",
	 .bad = "FROM debian:12\nRUN echo 'deb [trusted=yes] http://repo.example.com/ stable main' > "
		"/etc/apt/sources.list.d/x.list\n",
	 .good = "FROM debian:12\nCOPY repo.gpg /usr/share/keyrings/repo.gpg\nRUN echo 'deb "
		 "[signed-by=/usr/share/keyrings/repo.gpg] https://repo.example.com/ stable main' > "
		 "/etc/apt/sources.list.d/x.list\n",
	 .remediation = "Import the repository's signing key (signed-by=) and keep signature checks on."},
};

size_t bw_imgcheck_rule_count(void)
{
	return IMG__COUNT;
}

void bw_imgcheck_rule_info(size_t i, struct bw_rule_info *out)
{
	const struct img_rule *r = &img_rules[i];
	*out = (struct bw_rule_info){
	    .id = r->id,
	    .severity = r->severity,
	    .title = r->title,
	    .equivalent = r->equivalent,
	    .rationale = r->rationale,
	    .bad = r->bad,
	    .good = r->good,
	    .remediation = r->remediation,
	};
}
