/* Findings of kind supply-chain: why a verification failed, in the one
 * report model, so a verify failure reads like any other finding (JSON,
 * the admission gate, ignore files by id). */
#include "trust-int.h"

#include "report/report.h"

static void add(struct bw_report *r, const char *id, const char *name, const char *title, const char *why,
		const char *evidence, const char *remediation)
{
	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_SUPPLY_CHAIN);
	f->id = id;
	f->severity = BW_SEV_HIGH;
	f->status = BW_STATUS_FAIL;
	f->title = bw_report_strf(r, "%s: %s: %s", name, title, why);
	f->evidence = bw_report_str(r, evidence);
	f->remediation = remediation;
}

void bw_trust_result_findings(const struct bw_trust_image *img, const struct bw_trust_result *res, bool att,
			      struct bw_report *r)
{
	if (res->n_ok)
		return;
	const char *id = att ? BW_TRUST_FINDING_ATTESTATION : BW_TRUST_FINDING_SIGNATURE;
	const char *title = att ? "attestation not verified" : "signature not verified";
	const char *fix =
	    att ? "attest the image (bulwark attest, cosign attest) with the key trusted, or "
		  "verify with the key that attested it"
		: "sign the image's digest (bulwark sign, cosign sign) with the key trusted, or "
		  "verify with the key that signed it";
	bw_autofree char *name = bw_asprintf("%s@%s", img->name, img->digest);
	if (res->n == 0)
		add(r, id, name, att ? "no attestation found" : "no signature found",
		    att ? "neither a .att image nor a referrer holds one"
			: "neither a .sig image nor a referrer holds one",
		    NULL, fix);
	for (size_t i = 0; i < res->n; i++)
		add(r, id, name, title, res->checks[i].reason ? res->checks[i].reason : "it does not verify",
		    res->checks[i].source, fix);
}

void bw_trust_dct_finding(const struct bw_trust_image *img, const struct bw_trust_dct_result *res,
			  struct bw_report *r)
{
	if (res->ok)
		return;
	bw_autofree char *name = bw_asprintf("%s@%s", img->name, img->digest);
	add(r, BW_TRUST_FINDING_DCT, name, "Docker Content Trust denies the tag",
	    res->reason ? res->reason : "", res->server,
	    "sign the tag with Docker Content Trust (DOCKER_CONTENT_TRUST=1 docker push, docker trust sign, "
	    "notary addhash and publish) and check the trust server and its pinned root");
}

void bw_trust_bundle_finding(const char *bundle, const char *reason, struct bw_report *r)
{
	add(r, BW_TRUST_FINDING_BUNDLE, bundle, "Sigstore bundle not verified", reason, bundle,
	    "check the bundle against the trusted root and the identity and issuer expected of its signer");
}
