/* Private keys (PEM, OpenSSH, PGP, PuTTY, age), JWTs. A PEM body may be
 * wrapped in real newlines or in "\n" escapes (keys inside JSON strings). */
#include "rules-frag.h"
#include "secret-int.h"

/* Whitespace or a JSON "\n"/"\r" escape. */
#define PK_WS "(?:\\s|\\\\[nr])"
/* A base64 body (the window bounds its length), stopping at the first END line. */
#define PK_BODY "([A-Za-z0-9+/]{20}(?:[A-Za-z0-9+/=\\s]|\\\\[nr])+?)" PK_WS "*"
#define PK(label) "-----BEGIN " label "-----" PK_WS "*(?!Proc-Type)" PK_BODY "-----END " label "-----"
#define PK_WINDOW 32768

const struct bw_secret_rule_def bw_secret_rules_keys[] = {
    {"BW-SEC-PK-001", .title = "RSA private key", .severity = BW_SEV_CRITICAL,
     .keywords = "-----BEGIN RSA PRIVATE KEY-----", .regex = PK("RSA PRIVATE KEY"), .window = PK_WINDOW},
    {"BW-SEC-PK-002", .title = "EC private key", .severity = BW_SEV_CRITICAL,
     .keywords = "-----BEGIN EC PRIVATE KEY-----", .regex = PK("EC PRIVATE KEY"), .window = PK_WINDOW},
    {"BW-SEC-PK-003", .title = "DSA private key", .severity = BW_SEV_CRITICAL,
     .keywords = "-----BEGIN DSA PRIVATE KEY-----", .regex = PK("DSA PRIVATE KEY"), .window = PK_WINDOW},
    {"BW-SEC-PK-004", .title = "OpenSSH private key", .severity = BW_SEV_CRITICAL,
     .keywords = "-----BEGIN OPENSSH PRIVATE KEY-----",
     .regex = "-----BEGIN OPENSSH PRIVATE KEY-----" PK_WS
	      "*(b3BlbnNzaC1rZXktdjEAAAAABG5vbmU(?:[A-Za-z0-9+/=\\s]|\\\\[nr])+?)" PK_WS
	      "*-----END OPENSSH PRIVATE KEY-----",
     .window = PK_WINDOW},
    {"BW-SEC-PK-005", .title = "PGP private key block", .severity = BW_SEV_CRITICAL,
     .keywords = "-----BEGIN PGP PRIVATE KEY BLOCK-----",
     .regex = "-----BEGIN PGP PRIVATE KEY BLOCK-----" PK_WS
	      "*(?:[A-Za-z][A-Za-z-]*:[^\\r\\n]*(?:\\r?\\n|\\\\n))*" PK_WS "*" PK_BODY
	      "-----END PGP PRIVATE KEY BLOCK-----",
     .window = 65536},
    {"BW-SEC-PK-006", .title = "PKCS#8 private key", .severity = BW_SEV_CRITICAL,
     .keywords = "-----BEGIN PRIVATE KEY-----", .regex = PK("PRIVATE KEY"), .window = PK_WINDOW},
    {"BW-SEC-PK-007", .title = "Encrypted PKCS#8 private key", .severity = BW_SEV_LOW,
     .keywords = "-----BEGIN ENCRYPTED PRIVATE KEY-----", .regex = PK("ENCRYPTED PRIVATE KEY"),
     .window = PK_WINDOW},
    {"BW-SEC-PK-008", .title = "Encrypted PEM private key (RSA/EC/DSA)", .severity = BW_SEV_LOW,
     .keywords =
	 "-----BEGIN RSA PRIVATE KEY-----|-----BEGIN EC PRIVATE KEY-----|-----BEGIN DSA PRIVATE KEY-----",
     .regex = "-----BEGIN (?:RSA|EC|DSA) PRIVATE KEY-----" PK_WS "*Proc-Type:[ \\t]*4,ENCRYPTED" PK_WS
	      "*DEK-Info:[^\\r\\n\\\\]*" PK_WS "*" PK_BODY "-----END (?:RSA|EC|DSA) PRIVATE KEY-----",
     .window = PK_WINDOW},
    {"BW-SEC-PK-009", .title = "Encrypted OpenSSH private key", .severity = BW_SEV_LOW,
     .keywords = "-----BEGIN OPENSSH PRIVATE KEY-----",
     .regex = "-----BEGIN OPENSSH PRIVATE KEY-----" PK_WS "*(?!b3BlbnNzaC1rZXktdjEAAAAABG5vbmU)" PK_BODY
	      "-----END OPENSSH PRIVATE KEY-----",
     .window = PK_WINDOW},
    {"BW-SEC-PK-010", .title = "PuTTY private key (unencrypted)", .severity = BW_SEV_CRITICAL,
     .keywords = "PuTTY-User-Key-File-",
     .regex = "PuTTY-User-Key-File-[23]: [^\\r\\n]{1,64}\\r?\\nEncryption: "
	      "none\\r?\\n[\\s\\S]{0,8000}?Private-Lines: "
	      "\\d+\\r?\\n"
	      "([A-Za-z0-9+/=]{20,})",
     .window = PK_WINDOW},
    {"BW-SEC-PK-011", .title = "age secret key", .severity = BW_SEV_CRITICAL, .keywords = "AGE-SECRET-KEY-1",
     .regex = SR_B "(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})" SR_EA},
    {"BW-SEC-PK-012", .title = "Kubernetes client key (kubeconfig client-key-data)",
     .severity = BW_SEV_CRITICAL, .keywords = "client-key-data",
     .regex = "client-key-data:[ \\t]*[\"']?(LS0tLS1CRUdJTi[A-Za-z0-9+/=]{60,})"},
    {"BW-SEC-PK-013", .title = "Private key (other PEM type)", .severity = BW_SEV_HIGH,
     .keywords = "PRIVATE KEY-----",
     .regex = "-----BEGIN [A-Z0-9 _-]{1,40} PRIVATE KEY-----" PK_WS "*" PK_BODY
	      "-----END [A-Z0-9 _-]{1,40} PRIVATE KEY-----",
     .window = PK_WINDOW, .flags = BW_SR_GENERIC},
    {"BW-SEC-JWT-001", .title = "JSON Web Token", .severity = BW_SEV_MEDIUM, .keywords = "eyJ",
     .regex = "(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})" SR_E,
     /* the jwt.io sample token ("John Doe") of countless docs */
     .allow = "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"},
    {NULL},
};
