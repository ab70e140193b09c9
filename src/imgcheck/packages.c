/* Rules on the packages of an image (as the inventory found them): tools a
 * runtime image does not need, and build tools that call for a multi-stage
 * build (with those found as files: compilers, make, git, build caches). */
#include "imgcheck-int.h"

/* name is `stem` or `stem-<digit>…` (gcc-12, clang-16, golang-1.22) */
static bool versioned(const char *name, const char *stem)
{
	size_t k = strlen(stem);
	return !strncmp(name, stem, k) &&
	       (name[k] == 0 ||
		(name[k] == '-' && bw_isdigit(name[k + 1]) && !bw_str_ends_with(name, "-base") &&
		 !strstr(name + k, "-doc") && !strstr(name + k, "-plugin")));
}

enum img_pkg_class img_pkg_classify(const char *name)
{
	static const char *const build[] = {
	    "gcc",	  "g++",	 "clang",      "llvm",	   "make",
	    "cmake",	  "ninja-build", "meson",      "autoconf", "automake",
	    "libtool",	  "libtool-bin", "pkg-config", "pkgconf",  "build-essential",
	    "build-base", "alpine-sdk",	 "git",	       "golang",   "golang-go",
	    "go",	  "rustc",	 "cargo",      "maven",	   "gradle",
	    "bison",	  "flex",	 "dpkg-dev",   "gfortran", "gcc-c++",
	    "ccache",	  NULL};
	static const char *const unneeded[] = {
	    /* editors */
	    "vim", "vim-tiny", "vim-nox", "vim-gtk3", "nano", "emacs", "emacs-nox", "joe", "mc",
	    /* network tools */
	    "netcat", "netcat-openbsd", "netcat-traditional", "ncat", "nmap", "nmap-ncat", "socat", "telnet",
	    "telnetd", "inetutils-telnet", "tcpdump",
	    /* debuggers */
	    "strace", "ltrace", "gdb",
	    /* remote login and privilege */
	    "openssh-server", "dropbear", "sudo",
	    /* manuals, network inspection and password crackers */
	    "man-db", "manpages", "net-tools", "wireshark", "tshark", "john", "hydra", NULL};
	for (size_t i = 0; build[i]; i++)
		if (versioned(name, build[i]))
			return IMG_PKG_BUILD;
	if ((bw_str_ends_with(name, "-dev") || bw_str_ends_with(name, "-devel")) && strlen(name) > 4)
		return IMG_PKG_BUILD;
	if (!strncmp(name, "openjdk", 7) && strstr(name, "-jdk"))
		return IMG_PKG_BUILD;
	return bw_str_in(name, unneeded) ? IMG_PKG_UNNEEDED : IMG_PKG_OTHER;
}

static bool os_package(const struct bw_package *p)
{
	return p->purl && (!strncmp(p->purl, "pkg:deb/", 8) || !strncmp(p->purl, "pkg:apk/", 8) ||
			   !strncmp(p->purl, "pkg:rpm/", 8));
}

void img_check_packages(struct img_ctx *c, const struct bw_package *pkgs, size_t n_pkgs, bool known)
{
	struct bw_buf un, tools, dev;
	bw_buf_init(&un, 4096);
	bw_buf_init(&tools, 4096);
	bw_buf_init(&dev, 2048);
	size_t n_un = 0, n_tools = 0, n_dev = 0;
	const char *un_layer = NULL;
	for (size_t i = 0; known && i < n_pkgs; i++) {
		const struct bw_package *p = &pkgs[i];
		if (!p->name || !os_package(p))
			continue;
		enum img_pkg_class k = img_pkg_classify(p->name);
		if (k == IMG_PKG_UNNEEDED) {
			if (n_un++ < 20)
				bw_buf_printf(&un, "%s%s %s", un.len ? ", " : "", p->name,
					      p->version ? p->version : "");
			un_layer = un_layer ? un_layer : p->layer;
		} else if (k == IMG_PKG_BUILD) {
			bool isdev = bw_str_ends_with(p->name, "-dev") || bw_str_ends_with(p->name, "-devel");
			if (isdev) {
				if (n_dev++ < 6)
					bw_buf_printf(&dev, "%s%s", dev.len ? ", " : "", p->name);
			} else if (n_tools++ < 20) {
				bw_buf_printf(&tools, "%s%s", tools.len ? ", " : "", p->name);
			}
		}
	}
	if (n_un) {
		struct bw_finding *f;
		img_report(c, IMG_UNNECESSARY_PKGS, NULL, -1, -1,
			   "%zu package%s a runtime image does not need: %s%s", n_un, n_un == 1 ? "" : "s",
			   un.data ? un.data : "", n_un > 20 ? ", …" : "");
		if (un_layer && c->r->n_findings && (f = &c->r->findings[c->r->n_findings - 1]) &&
		    !strcmp(f->id, img_rules[IMG_UNNECESSARY_PKGS].id))
			f->location.layer = bw_report_str(c->r, un_layer);
	}
	/* the multi-stage advice: packages and files together, in one finding */
	struct bw_buf ev;
	bw_buf_init(&ev, 8192);
	if (n_tools)
		bw_buf_printf(&ev, "packages: %s%s", tools.data, n_tools > 20 ? ", …" : "");
	if (n_dev)
		bw_buf_printf(&ev, "%s%zu -dev package%s (%s%s)", ev.len ? "; " : "", n_dev,
			      n_dev == 1 ? "" : "s", dev.data, n_dev > 6 ? ", …" : "");
	if (c->n_tools) {
		bw_buf_printf(&ev, "%sfiles: ", ev.len ? "; " : "");
		for (size_t t = 0; t < c->n_tools; t++)
			bw_buf_printf(&ev, "%s%s (%s)", t ? ", " : "", c->tool_label[t], c->tool_path[t]);
	}
	if (ev.len)
		img_report(c, IMG_BUILD_TOOLS, c->n_tools ? c->tool_path[0] : NULL,
			   c->n_tools ? c->tool_layer[0] : -1, c->n_tools ? 1 : -1,
			   "build tools in the final image — %s. Build in a separate stage and COPY --from "
			   "only the artefacts",
			   ev.data);
	bw_buf_release(&ev);
	bw_buf_release(&un);
	bw_buf_release(&tools);
	bw_buf_release(&dev);
}
