/* Credential files and credentials in URLs: Docker's config.json, .netrc,
 * .git-credentials, .pgpass, .npmrc, user:password@host. */
#include "rules-frag.h"
#include "secret-int.h"

const struct bw_secret_rule_def bw_secret_rules_files[] = {
    {"BW-SEC-DOCKERCFG-001", "Registry credentials in a Docker config.json (auths)", BW_SEV_CRITICAL,
     "\"auth\"", "\"auth\"[ \\t]*:[ \\t]*\"([A-Za-z0-9+/]{6,}={0,2})\"", 0, NULL, NULL, 0,
     BW_SR_B64_USERPASS},
    {"BW-SEC-DOCKERCFG-002", "Registry identity token in a Docker config.json", BW_SEV_HIGH,
     "\"identitytoken\"", "\"identitytoken\"[ \\t]*:[ \\t]*\"([^\"\\s]{16,4096})\"", 0, NULL, NULL, 0, 0},
    {"BW-SEC-NETRC-001", "Password in a .netrc file", BW_SEV_HIGH, "machine",
     "(?<![A-Za-z0-9_])machine[ \\t]+\\S+\\s+(?:login[ \\t]+\\S+\\s+)?password[ \\t]+([^\\s\"']{3,256})", 0,
     NULL, NULL, 512, 0},
    {"BW-SEC-GITCRED-001", "Credentials in a .git-credentials file", BW_SEV_CRITICAL, NULL,
     "(?m)^[a-z][a-z0-9+.-]{1,20}://[^:/\\s@]{1,256}:([^@\\s]{1,512})@[^\\s/]+", 0, NULL,
     "*/.git-credentials|*/git/credentials", 0, 0},
    {"BW-SEC-PGPASS-001", "Password in a PostgreSQL .pgpass file", BW_SEV_HIGH, NULL,
     "(?m)^[^:#\\r\\n][^:\\r\\n]*:[^:\\r\\n]*:[^:\\r\\n]*:[^:\\r\\n]*:([^\\r\\n]{1,256})$", 0, NULL,
     "*/.pgpass|*/pgpass.conf", 0, 0},
    {"BW-SEC-NPMRC-001", "Registry credentials in an .npmrc / .yarnrc", BW_SEV_HIGH, "_auth|_password",
     "(?m)(?:^|:)_(?:authToken|auth|password)[ \\t]*=[ \\t]*[\"']?([^\\s\"'$]{8,512})", 0, NULL, NULL, 0, 0},
    {"BW-SEC-HTTPAUTH-001", "HTTP basic-auth credentials in an Authorization header", BW_SEV_HIGH,
     "authorization", "(?i)authorization[\"']?[ \\t]*[:=][ \\t]*[\"']?basic[ \\t]+([A-Za-z0-9+/]{8,}={0,2})",
     0, NULL, NULL, 0, BW_SR_B64_USERPASS},
    {"BW-SEC-HTTPAUTH-002", "Bearer token in an Authorization header", BW_SEV_MEDIUM, "authorization",
     "(?i)authorization[\"']?[ \\t]*[:=][ \\t]*[\"']?bearer[ \\t]+([A-Za-z0-9._~+/-]{20,2000}=*)", 3.5, NULL,
     NULL, 0, 0},
    {"BW-SEC-URL-001", "Password in a URL (user:password@host)", BW_SEV_HIGH, NULL,
     "(?i)(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{1,20}://[^:/\\s@\"'<>(){}\\[\\]]{1,64}:(?<secret>[^@/"
     "\\s\"'<>(){}\\[\\]]{3,128})@"
     /* documentation hosts are not real ones */
     "(?![^/\\s\"'<>]*example\\.(?:com|org|net))[A-Za-z0-9.-]*[A-Za-z0-9]",
     0, "(?i)^(?:\\$.*|%[0-9A-Fa-f]{0,2}|pass(?:word)?\\d*|pwd|xyz|abc|x+|\\*+)$", NULL, 0, BW_SR_GENERIC},
    {NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, 0, 0},
};
