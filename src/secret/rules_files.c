/* Credential files and credentials in URLs: Docker's config.json, .netrc,
 * .git-credentials, .pgpass, .npmrc, user:password@host. */
#include "rules-frag.h"
#include "secret-int.h"

const struct bw_secret_rule_def bw_secret_rules_files[] = {
    {"BW-SEC-DOCKERCFG-001", .title = "Registry credentials in a Docker config.json (auths)",
     .severity = BW_SEV_CRITICAL, .keywords = "\"auth\"",
     .regex = "\"auth\"[ \\t]*:[ \\t]*\"([A-Za-z0-9+/]{6,}={0,2})\"", .flags = BW_SR_B64_USERPASS},
    {"BW-SEC-DOCKERCFG-002", .title = "Registry identity token in a Docker config.json",
     .severity = BW_SEV_HIGH, .keywords = "\"identitytoken\"",
     .regex = "\"identitytoken\"[ \\t]*:[ \\t]*\"([^\"\\s]{16,4096})\""},
    {"BW-SEC-NETRC-001", .title = "Password in a .netrc file", .severity = BW_SEV_HIGH, .keywords = "machine",
     .regex = "(?<![A-Za-z0-9_])machine[ \\t]+\\S+\\s+(?:login[ \\t]+\\S+\\s+)?password[ "
	      "\\t]+([^\\s\"']{3,256})",
     .window = 512},
    {"BW-SEC-GITCRED-001", .title = "Credentials in a .git-credentials file", .severity = BW_SEV_CRITICAL,
     .regex = "(?m)^[a-z][a-z0-9+.-]{1,20}://[^:/\\s@]{1,256}:([^@\\s]{1,512})@[^\\s/]+",
     .paths = "*/.git-credentials|*/git/credentials"},
    {"BW-SEC-PGPASS-001", .title = "Password in a PostgreSQL .pgpass file", .severity = BW_SEV_HIGH,
     .regex = "(?m)^[^:#\\r\\n][^:\\r\\n]*:[^:\\r\\n]*:[^:\\r\\n]*:[^:\\r\\n]*:([^\\r\\n]{1,256})$",
     .paths = "*/.pgpass|*/pgpass.conf"},
    {"BW-SEC-NPMRC-001", .title = "Registry credentials in an .npmrc / .yarnrc", .severity = BW_SEV_HIGH,
     .keywords = "_auth|_password",
     .regex = "(?m)(?:^|:)_(?:authToken|auth|password)[ \\t]*=[ \\t]*[\"']?([^\\s\"'$]{8,512})"},
    {"BW-SEC-HTTPAUTH-001", .title = "HTTP basic-auth credentials in an Authorization header",
     .severity = BW_SEV_HIGH, .keywords = "authorization",
     .regex = "(?i)authorization[\"']?[ \\t]*[:=][ \\t]*[\"']?basic[ \\t]+([A-Za-z0-9+/]{8,}={0,2})",
     .flags = BW_SR_B64_USERPASS},
    {"BW-SEC-HTTPAUTH-002", .title = "Bearer token in an Authorization header", .severity = BW_SEV_MEDIUM,
     .keywords = "authorization",
     .regex = "(?i)authorization[\"']?[ \\t]*[:=][ \\t]*[\"']?bearer[ \\t]+([A-Za-z0-9._~+/-]{20,2000}=*)",
     .entropy = 3.5},
    {"BW-SEC-URL-001", .title = "Password in a URL (user:password@host)", .severity = BW_SEV_HIGH,
     .regex = "(?i)(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{1,20}://[^:/\\s@\"'<>(){}\\[\\]]{1,64}:(?<secret>[^@/"
	      "\\s\"'<>(){}\\[\\]]{3,128})@" /* documentation hosts are not real ones */
	      "(?![^/\\s\"'<>]*example\\.(?:com|org|net))[A-Za-z0-9.-]*[A-Za-z0-9]",
     .allow = "(?i)^(?:\\$.*|%[0-9A-Fa-f]{0,2}|pass(?:word)?\\d*|pwd|xyz|abc|x+|\\*+)$",
     .flags = BW_SR_GENERIC},
    {NULL},
};
