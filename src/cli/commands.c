/* The command table: one row per command, one cmd_<name>.c per command. */
#include "cli.h"

extern const char bw_usage_image[], bw_usage_fs[], bw_usage_vercmp[], bw_usage_lint[];
extern const char bw_usage_audit[];
extern const char bw_usage_sbom[];
extern const char bw_usage_db[];
extern const char bw_usage_cache[];
extern const char bw_usage_cvss[];
extern const char bw_usage_config[];
extern const char bw_usage_net[];
extern const char bw_usage_registry[];
extern const char bw_usage_key[];
extern const char bw_usage_sign[], bw_usage_verify[], bw_usage_attest[], bw_usage_verify_attestation[];

const struct bw_command bw_commands[] = {
    {"image", bw_cmd_image, "scan or inspect a container image", bw_usage_image},
    {"fs", bw_cmd_fs, "scan a root filesystem directory", bw_usage_fs},
    {"registry", bw_cmd_registry, "list a registry's repositories or a repository's tags", bw_usage_registry},
    {"sbom", bw_cmd_sbom, "write a CycloneDX or SPDX bill of materials of an image", bw_usage_sbom},
    {"lint", bw_cmd_lint, "lint Dockerfiles", bw_usage_lint},
    {"config", bw_cmd_config, "check docker-compose files and Kubernetes manifests", bw_usage_config},
    {"net", bw_cmd_net, "network segmentation: reachability graph, lateral paths, nftables", bw_usage_net},
    {"audit", bw_cmd_audit, "audit the Docker host, daemon and containers (CIS)", bw_usage_audit},
    {"db", bw_cmd_db, "import, update and describe the vulnerability database", bw_usage_db},
    {"cache", bw_cmd_cache, "describe or empty the layer-analysis cache", bw_usage_cache},
    {"vercmp", bw_cmd_vercmp, "compare versions the way an ecosystem does", bw_usage_vercmp},
    {"cvss", bw_cmd_cvss, "score CVSS v4.0, v3.x and v2 vectors", bw_usage_cvss},
    {"key", bw_cmd_key, "generate a cosign-compatible signing key pair", bw_usage_key},
    {"sign", bw_cmd_sign, "sign an image as cosign does (a key; the .sig tag or a referrer)", bw_usage_sign},
    {"verify", bw_cmd_verify, "verify an image's cosign signatures with a key", bw_usage_verify},
    {"attest", bw_cmd_attest, "attest an image as cosign does (in-toto statement in a DSSE envelope)",
     bw_usage_attest},
    {"verify-attestation", bw_cmd_verify_attestation, "verify an image's cosign attestations with a key",
     bw_usage_verify_attestation},
};
const size_t bw_n_commands = BW_ARRAY_SIZE(bw_commands);

const struct bw_command *bw_cli_find(const char *name)
{
	for (size_t i = 0; i < bw_n_commands; i++)
		if (strcmp(bw_commands[i].name, name) == 0)
			return &bw_commands[i];
	return NULL;
}
