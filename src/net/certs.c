/* Certificates inside images: an analyzer on the image walk (net uses the
 * image API directly; it is not a scan row) that reads PEM and DER files
 * where certificates and keys live, with OpenSSL, and reports expired
 * certificates, weak keys (RSA or DSA under 2048 bits, EC under 256),
 * SHA-1 and MD5 signatures on certificates that are not self-signed, CAs an
 * image adds to the system trust store (the anchors directories that
 * update-ca-certificates and update-ca-trust read), and private keys
 * beside certificates. Bundles of public roots (more than a handful of
 * certificates in one file, the distribution's own store) are not judged
 * certificate by certificate. */
#include <signal.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <time.h>

#include "image/image.h"
#include "net-int.h"

#define MAX_CERT_FILE (1u << 20)
#define BUNDLE 5

static const char *const anchors[] = {
    "/usr/local/share/ca-certificates/",
    "/etc/pki/ca-trust/source/anchors/",
    "/etc/ca-certificates/trust-source/anchors/",
    "/usr/share/pki/trust/anchors/",
    "/etc/pki/trust/anchors/",
};

static bool under(const char *path, const char *dir)
{
	return !strncmp(path, dir, strlen(dir));
}

static bool is_anchor(const char *path)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(anchors); i++)
		if (under(path, anchors[i]))
			return true;
	return false;
}

static bool suffix(const char *path, const char *s)
{
	size_t n = strlen(path), k = strlen(s);
	return n > k && !bw_strcasecmp(path + n - k, s);
}

static enum bw_want wants(void *ud, const struct bw_file *f)
{
	const char *p = f->path;
	if (f->size > MAX_CERT_FILE || f->size == 0)
		return BW_WANT_NONE;
	/* the distribution's own roots and the bundle made from them */
	if (under(p, "/usr/share/ca-certificates/") || under(p, "/etc/ssl/certs/") ||
	    under(p, "/etc/pki/tls/certs/") || under(p, "/etc/pki/ca-trust/extracted/"))
		return BW_WANT_NONE;
	if (is_anchor(p) || suffix(p, ".pem") || suffix(p, ".crt") || suffix(p, ".cer") ||
	    suffix(p, ".der") || suffix(p, ".key") || suffix(p, ".cert"))
		return BW_WANT_WHOLE;
	return BW_WANT_NONE;
}

enum cert_issue {
	CI_EXPIRED = 3,
	CI_WEAK = 4,
	CI_SHA1 = 5,
	CI_ANCHOR = 6,
	CI_KEY_BESIDE = 7,
};

struct cert_rec {
	char *path;
	int issue; /* enum cert_issue, or 0 for "a certificate is here" / -1 "a private key is here" */
	char *what;
};

struct cert_layer {
	struct cert_rec *recs;
	size_t n, cap;
	int layer;
};

static void add(struct cert_layer *l, const char *path, int issue, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(struct cert_layer *l, const char *path, int issue, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	NET_GROW_HEAP(l->recs, l->n, l->cap);
	l->recs[l->n++] = (struct cert_rec){bw_strdup(path), issue, bw_strdup(buf)};
}

static void *layer_begin(void *ud, const struct bw_image_layer *layer)
{
	struct cert_layer *l = bw_calloc(1, sizeof(*l));
	l->layer = layer->index;
	return l;
}

static void layer_free(void *state)
{
	struct cert_layer *l = state;
	for (size_t i = 0; l && i < l->n; i++) {
		free(l->recs[i].path);
		free(l->recs[i].what);
	}
	if (l)
		free(l->recs);
	free(l);
}

static void subject_of(X509 *x, char *out, size_t len)
{
	X509_NAME_oneline(X509_get_subject_name(x), out, (int)len);
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

static void judge(struct cert_layer *l, const char *path, X509 *x, bool bundle)
{
	char subj[256];
	subject_of(x, subj, sizeof(subj));
	add(l, path, 0, "%s", subj);
	if (is_anchor(path))
		add(l, path, CI_ANCHOR, "the image adds %s to the system trust store", subj);
	if (bundle)
		return;
	if (X509_cmp_time(X509_get0_notAfter(x), NULL) < 0) {
		char when[64] = "";
		BIO *b = BIO_new(BIO_s_mem());
		if (b && ASN1_TIME_print(b, X509_get0_notAfter(x)) > 0) {
			int n = BIO_read(b, when, sizeof(when) - 1);
			when[n > 0 ? n : 0] = 0;
		}
		BIO_free(b);
		add(l, path, CI_EXPIRED, "%s expired on %s", subj, when);
	}
	EVP_PKEY *k = X509_get0_pubkey(x);
	if (k) {
		int bits = EVP_PKEY_get_bits(k), id = EVP_PKEY_get_base_id(k);
		if ((id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS || id == EVP_PKEY_DSA) && bits < 2048)
			add(l, path, CI_WEAK, "%s has a %d-bit %s key", subj, bits,
			    id == EVP_PKEY_DSA ? "DSA" : "RSA");
		else if (id == EVP_PKEY_EC && bits < 256)
			add(l, path, CI_WEAK, "%s has a %d-bit EC key", subj, bits);
	}
	int nid = X509_get_signature_nid(x);
	bool self = X509_check_issued(x, x) == X509_V_OK;
	if (!self &&
	    (nid == NID_sha1WithRSAEncryption || nid == NID_ecdsa_with_SHA1 || nid == NID_dsaWithSHA1 ||
	     nid == NID_md5WithRSAEncryption || nid == NID_md2WithRSAEncryption))
		add(l, path, CI_SHA1, "%s is signed with %s", subj, OBJ_nid2ln(nid));
}

static int file_cb(void *state, const struct bw_file *f, const void *data, size_t len, struct bw_error *err)
{
	struct cert_layer *l = state;
	const char *text = data;
	bool pem = memmem(text, len, "-----BEGIN", 10) != NULL;
	if (pem && (memmem(text, len, "PRIVATE KEY-----", 16)))
		add(l, f->path, -1, "a private key");
	if (pem) {
		size_t count = 0;
		for (const char *p = text;
		     (p = memmem(p, len - (size_t)(p - text), "-----BEGIN CERTIFICATE-----", 27)); p += 27)
			count++;
		if (!count)
			return 0;
		BIO *b = BIO_new_mem_buf(data, (int)len);
		X509 *x;
		size_t seen = 0;
		while (b && seen < 10000 && (x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
			judge(l, f->path, x, count > BUNDLE);
			X509_free(x);
			seen++;
		}
		BIO_free(b);
		ERR_clear_error();
		return 0;
	}
	/* DER: one certificate */
	const unsigned char *p = data;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	if (x) {
		judge(l, f->path, x, false);
		X509_free(x);
	}
	ERR_clear_error();
	(void)err;
	return 0;
}

static const struct bw_analyzer cert_analyzer = {
    .name = "net-certs",
    .version = 1,
    .wants = wants,
    .max_whole = MAX_CERT_FILE,
    .layer_begin = layer_begin,
    .file = file_cb,
    .layer_free = layer_free,
};

static char *dir_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? bw_strndup(path, (size_t)(s - path) + 1) : bw_strdup("/");
}

int bw_net_tls_image(struct bw_report *r, const char *target, struct bw_error *err)
{
	struct bw_image *img = NULL;
	struct bw_image_opts io = {0};
	int rc = bw_image_open(target, &io, &img, err);
	if (rc)
		return rc;
	const struct bw_analyzer *an[] = {&cert_analyzer};
	rc = bw_image_walk(img, an, 1, NULL, NULL, err);
	if (rc) {
		bw_image_free(img);
		return rc;
	}
	const struct bw_image_info *info = bw_image_info(img);
	size_t n;
	void *const *states = bw_image_layer_states(img, &cert_analyzer, &n);
	for (size_t li = 0; li < n; li++) {
		const struct cert_layer *l = states[li];
		if (!l)
			continue;
		const char *layer =
		    li < info->n_layers && info->layers[li]->diff_id ? info->layers[li]->diff_id : NULL;
		for (size_t i = 0; i < l->n; i++) {
			const struct cert_rec *c = &l->recs[i];
			int issue = c->issue;
			if (issue == -1) {
				/* a private key: beside a certificate of the same directory (or file)? */
				bw_autofree char *d = dir_of(c->path);
				bool beside = false;
				for (size_t lj = 0; lj < n && !beside; lj++) {
					const struct cert_layer *o = states[lj];
					for (size_t k = 0; o && k < o->n && !beside; k++) {
						bw_autofree char *od = dir_of(o->recs[k].path);
						beside = o->recs[k].issue == 0 && !strcmp(od, d);
					}
				}
				if (!beside)
					continue;
				issue = CI_KEY_BESIDE;
			} else if (issue == 0) {
				continue;
			}
			struct bw_finding *f =
			    net_tls_emit(r, issue,
					 issue == CI_KEY_BESIDE
					     ? "a private key lies beside the certificates of its directory"
					     : c->what);
			f->location.path = bw_report_str(r, c->path);
			f->location.layer = layer ? bw_report_str(r, layer) : NULL;
			const struct bw_file *fin = bw_image_lookup(img, c->path);
			f->location.in_final_image = fin && fin->layer == (int)li ? 1 : 0;
		}
	}
	bw_image_free(img);
	return 0;
}
