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
    {"BW-SEC-PK-001", "RSA private key", BW_SEV_CRITICAL, "-----BEGIN RSA PRIVATE KEY-----",
     PK("RSA PRIVATE KEY"), 0, NULL, NULL, PK_WINDOW, 0},
    {"BW-SEC-PK-002", "EC private key", BW_SEV_CRITICAL, "-----BEGIN EC PRIVATE KEY-----",
     PK("EC PRIVATE KEY"), 0, NULL, NULL, PK_WINDOW, 0},
    {"BW-SEC-PK-003", "DSA private key", BW_SEV_CRITICAL, "-----BEGIN DSA PRIVATE KEY-----",
     PK("DSA PRIVATE KEY"), 0, NULL, NULL, PK_WINDOW, 0},
    {"BW-SEC-PK-004", "OpenSSH private key", BW_SEV_CRITICAL, "-----BEGIN OPENSSH PRIVATE KEY-----",
     "-----BEGIN OPENSSH PRIVATE KEY-----" PK_WS
     "*(b3BlbnNzaC1rZXktdjEAAAAABG5vbmU(?:[A-Za-z0-9+/=\\s]|\\\\[nr])+?)" PK_WS
     "*-----END OPENSSH PRIVATE KEY-----",
     0, NULL, NULL, PK_WINDOW, 0},
    {"BW-SEC-PK-005", "PGP private key block", BW_SEV_CRITICAL, "-----BEGIN PGP PRIVATE KEY BLOCK-----",
     "-----BEGIN PGP PRIVATE KEY BLOCK-----" PK_WS
     "*(?:[A-Za-z][A-Za-z-]*:[^\\r\\n]*(?:\\r?\\n|\\\\n))*" PK_WS "*" PK_BODY
     "-----END PGP PRIVATE KEY BLOCK-----",
     0, NULL, NULL, 65536, 0},
    {"BW-SEC-PK-006", "PKCS#8 private key", BW_SEV_CRITICAL, "-----BEGIN PRIVATE KEY-----", PK("PRIVATE KEY"),
     0, NULL, NULL, PK_WINDOW, 0},
    {"BW-SEC-PK-007", "Encrypted PKCS#8 private key", BW_SEV_LOW, "-----BEGIN ENCRYPTED PRIVATE KEY-----",
     PK("ENCRYPTED PRIVATE KEY"), 0, NULL, NULL, PK_WINDOW, 0},
    {"BW-SEC-PK-008", "Encrypted PEM private key (RSA/EC/DSA)", BW_SEV_LOW,
     "-----BEGIN RSA PRIVATE KEY-----|-----BEGIN EC PRIVATE KEY-----|-----BEGIN DSA PRIVATE KEY-----",
     "-----BEGIN (?:RSA|EC|DSA) PRIVATE KEY-----" PK_WS "*Proc-Type:[ \\t]*4,ENCRYPTED" PK_WS
     "*DEK-Info:[^\\r\\n\\\\]*" PK_WS "*" PK_BODY "-----END (?:RSA|EC|DSA) PRIVATE KEY-----",
     0, NULL, NULL, PK_WINDOW, 0},
    {"BW-SEC-PK-009", "Encrypted OpenSSH private key", BW_SEV_LOW, "-----BEGIN OPENSSH PRIVATE KEY-----",
     "-----BEGIN OPENSSH PRIVATE KEY-----" PK_WS "*(?!b3BlbnNzaC1rZXktdjEAAAAABG5vbmU)" PK_BODY
     "-----END OPENSSH PRIVATE KEY-----",
     0, NULL, NULL, PK_WINDOW, 0},
    {"BW-SEC-PK-010", "PuTTY private key (unencrypted)", BW_SEV_CRITICAL, "PuTTY-User-Key-File-",
     "PuTTY-User-Key-File-[23]: [^\\r\\n]{1,64}\\r?\\nEncryption: none\\r?\\n[\\s\\S]{0,8000}?Private-Lines: "
     "\\d+\\r?\\n"
     "([A-Za-z0-9+/=]{20,})",
     0, NULL, NULL, PK_WINDOW, 0},
    {"BW-SEC-PK-011", "age secret key", BW_SEV_CRITICAL, "AGE-SECRET-KEY-1",
     SR_B "(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})" SR_EA, 0, NULL, NULL, 0, 0},
    {"BW-SEC-PK-012", "Kubernetes client key (kubeconfig client-key-data)", BW_SEV_CRITICAL,
     "client-key-data", "client-key-data:[ \\t]*[\"']?(LS0tLS1CRUdJTi[A-Za-z0-9+/=]{60,})", 0, NULL, NULL, 0,
     0},
    {"BW-SEC-PK-013", "Private key (other PEM type)", BW_SEV_HIGH, "PRIVATE KEY-----",
     "-----BEGIN [A-Z0-9 _-]{1,40} PRIVATE KEY-----" PK_WS "*" PK_BODY
     "-----END [A-Z0-9 _-]{1,40} PRIVATE KEY-----",
     0, NULL, NULL, PK_WINDOW, BW_SR_GENERIC},
    {"BW-SEC-JWT-001", "JSON Web Token", BW_SEV_MEDIUM, "eyJ",
     "(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})" SR_E, 0,
     /* the jwt.io sample token ("John Doe") of countless docs */
     "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ", NULL, 0, 0},
    {NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, 0, 0},
};
