/* A probe of a registry's front door for audits: GET /v2/ without
 * credentials, with the TLS session (version, cipher, certificate) read
 * while the connection is open. A certificate the trust in force does not
 * accept is recorded and the probe goes on without verification. */
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "registry-int.h"

struct probe_ctx {
	CURL *c;
	const char *hostname;
	struct bw_registry_probe *p;
	struct bw_buf hdrs;
	bool tls_read;
};

static void name_of(X509_NAME *n, char *out, size_t outlen)
{
	out[0] = '\0';
	if (n)
		X509_NAME_oneline(n, out, (int)outlen);
}

static void read_tls(struct probe_ctx *pc)
{
	struct curl_tlssessioninfo *ti = NULL;
	if (pc->tls_read || curl_easy_getinfo(pc->c, CURLINFO_TLS_SSL_PTR, &ti) != CURLE_OK || !ti ||
	    ti->backend != CURLSSLBACKEND_OPENSSL || !ti->internals)
		return;
	pc->tls_read = true;
	SSL *ssl = ti->internals;
	struct bw_registry_probe *p = pc->p;
	p->tls = true;
	snprintf(p->tls_version, sizeof(p->tls_version), "%s", SSL_get_version(ssl));
	const SSL_CIPHER *ci = SSL_get_current_cipher(ssl);
	snprintf(p->cipher, sizeof(p->cipher), "%s", ci ? SSL_CIPHER_get_name(ci) : "");
	X509 *cert = SSL_get1_peer_certificate(ssl);
	if (!cert)
		return;
	name_of(X509_get_subject_name(cert), p->cert_subject, sizeof(p->cert_subject));
	name_of(X509_get_issuer_name(cert), p->cert_issuer, sizeof(p->cert_issuer));
	p->cert_self_signed = X509_check_issued(cert, cert) == X509_V_OK;
	EVP_PKEY *k = X509_get0_pubkey(cert);
	p->cert_key_bits = k ? EVP_PKEY_get_bits(k) : 0;
	int kid = k ? EVP_PKEY_get_base_id(k) : NID_undef;
	const char *kt = kid == EVP_PKEY_RSA	   ? "RSA"
			 : kid == EVP_PKEY_EC	   ? "EC"
			 : kid == EVP_PKEY_DSA	   ? "DSA"
			 : kid == EVP_PKEY_ED25519 ? "ED25519"
			 : kid == EVP_PKEY_ED448   ? "ED448"
			 : kid != NID_undef	   ? OBJ_nid2sn(kid)
						   : NULL;
	snprintf(p->cert_key_type, sizeof(p->cert_key_type), "%s", kt ? kt : "");
	p->cert_host_match = X509_check_ip_asc(cert, pc->hostname, 0) == 1 ||
			     X509_check_host(cert, pc->hostname, strlen(pc->hostname), 0, NULL) == 1;
	BIO *b = BIO_new(BIO_s_mem());
	if (b) {
		ASN1_TIME_print(b, X509_get0_notAfter(cert));
		int n = BIO_read(b, p->cert_not_after, (int)sizeof(p->cert_not_after) - 1);
		p->cert_not_after[n > 0 ? n : 0] = '\0';
		BIO_free(b);
	}
	X509_free(cert);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct probe_ctx *pc = ud;
	size_t n = size * nmemb;
	read_tls(pc);
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
		bw_buf_reset(&pc->hdrs);
	if (bw_buf_add(&pc->hdrs, data, n) < 0)
		return 0;
	return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	(void)data;
	(void)ud;
	return size * nmemb; /* the body of /v2/ says nothing we need */
}

static CURLcode probe_once(struct bw_registry *r, struct probe_ctx *pc, bool verify, char *errbuf)
{
	CURL *c = pc->c;
	curl_easy_reset(c);
	reg_setup_easy(r, c, true);
	bw_autofree char *url = bw_asprintf("%s/v2/", r->base_url);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, pc);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, pc);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
	pc->tls_read = false;
	bw_buf_reset(&pc->hdrs);
	return curl_easy_perform(c);
}

int bw_registry_probe(struct bw_registry *r, struct bw_registry_probe *p, struct bw_error *err)
{
	memset(p, 0, sizeof(*p));
	struct probe_ctx pc = {.p = p, .hostname = r->hostname};
	pc.c = curl_easy_init();
	if (!pc.c)
		return bw_error_set(err, BW_ENOMEM, "cannot start an HTTP client for %s", r->host);
	bw_buf_init(&pc.hdrs, REG_HEADERS_MAX);
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode cc = probe_once(r, &pc, true, errbuf);
	p->cert_verified = cc == CURLE_OK && !r->insecure;
	if (cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE) {
		memset(p, 0, sizeof(*p));
		errbuf[0] = '\0';
		cc = probe_once(r, &pc, false, errbuf);
	}
	int rc = 0;
	if (cc != CURLE_OK) {
		rc = bw_error_set(err, BW_EREMOTE, "registry %s: GET /v2/ failed: %s", r->host,
				  errbuf[0] ? errbuf : curl_easy_strerror(cc));
	} else {
		curl_easy_getinfo(pc.c, CURLINFO_RESPONSE_CODE, &p->status);
		const char *h = pc.hdrs.data ? pc.hdrs.data : "";
		reg_header_value(h, pc.hdrs.len, "Docker-Distribution-Api-Version", p->api_version,
				 sizeof(p->api_version));
		reg_header_value(h, pc.hdrs.len, "Server", p->server, sizeof(p->server));
		if (reg_header_value(h, pc.hdrs.len, "WWW-Authenticate", p->challenge,
				     sizeof(p->challenge))) {
			struct reg_challenge ch;
			if (reg_parse_challenge(p->challenge, strlen(p->challenge), &ch)) {
				snprintf(p->auth_scheme, sizeof(p->auth_scheme), "%s", ch.scheme);
				snprintf(p->realm, sizeof(p->realm), "%s", ch.realm);
				snprintf(p->service, sizeof(p->service), "%s", ch.service);
			}
		}
	}
	bw_buf_release(&pc.hdrs);
	curl_easy_cleanup(pc.c);
	return rc;
}

int bw_registry_tls_try(struct bw_registry *r, const char *version, const char *ciphers, bool *accepted,
			struct bw_registry_probe *p, struct bw_error *err)
{
	long v = !strcmp(version, "1.0")   ? (long)(CURL_SSLVERSION_TLSv1_0 | CURL_SSLVERSION_MAX_TLSv1_0)
		 : !strcmp(version, "1.1") ? (long)(CURL_SSLVERSION_TLSv1_1 | CURL_SSLVERSION_MAX_TLSv1_1)
		 : !strcmp(version, "1.2") ? (long)(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2)
					   : -1;
	*accepted = false;
	memset(p, 0, sizeof(*p));
	if (v < 0)
		return bw_error_set(err, BW_EUSAGE, "TLS version %s: 1.0, 1.1 or 1.2", version);
	if (r->insecure)
		return 0;
	struct probe_ctx pc = {.p = p, .hostname = r->hostname};
	pc.c = curl_easy_init();
	if (!pc.c)
		return bw_error_set(err, BW_ENOMEM, "cannot start an HTTP client for %s", r->host);
	bw_buf_init(&pc.hdrs, REG_HEADERS_MAX);
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = pc.c;
	reg_setup_easy(r, c, true);
	bw_autofree char *url = bw_asprintf("%s/v2/", r->base_url);
	bw_autofree char *list = bw_asprintf("%s:@SECLEVEL=0", ciphers ? ciphers : "ALL");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &pc);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &pc);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, v);
	curl_easy_setopt(c, CURLOPT_SSL_CIPHER_LIST, list);
	CURLcode cc = curl_easy_perform(c);
	int rc = 0;
	if (cc == CURLE_OK || cc == CURLE_WRITE_ERROR)
		*accepted = pc.tls_read;
	else if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
		 cc == CURLE_OPERATION_TIMEDOUT)
		rc = bw_error_set(err, BW_EREMOTE, "registry %s: TLS %s handshake: %s", r->host, version,
				  errbuf[0] ? errbuf : curl_easy_strerror(cc));
	bw_buf_release(&pc.hdrs);
	curl_easy_cleanup(pc.c);
	return rc;
}
