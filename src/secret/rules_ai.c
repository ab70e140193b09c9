/* LLM and machine-learning providers. */
#include "rules-frag.h"
#include "secret-int.h"

const struct bw_secret_rule_def bw_secret_rules_ai[] = {
    {"BW-SEC-OPENAI-001", "OpenAI API key", BW_SEV_CRITICAL, "T3BlbkFJ",
     SR_B "(sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,160}|[A-Za-z0-9]{20})T3BlbkFJ[A-Za-z0-9_-]{20,160}"
	  ")" SR_E,
     0, NULL, NULL, 0, 0},
    {"BW-SEC-ANTHROPIC-001", "Anthropic API key", BW_SEV_CRITICAL, "sk-ant-api",
     SR_B "(sk-ant-api\\d\\d-[A-Za-z0-9_-]{93}AA)" SR_E, 0, NULL, NULL, 0, 0},
    {"BW-SEC-ANTHROPIC-002", "Anthropic admin API key", BW_SEV_CRITICAL, "sk-ant-admin",
     SR_B "(sk-ant-admin\\d\\d-[A-Za-z0-9_-]{93}AA)" SR_E, 0, NULL, NULL, 0, 0},
    {"BW-SEC-HF-001", "Hugging Face access token", BW_SEV_HIGH, "hf_", SR_B "(hf_[A-Za-z0-9]{34,40})" SR_EA,
     0, NULL, NULL, 0, 0},
    {"BW-SEC-HF-002", "Hugging Face organization API token", BW_SEV_HIGH, "api_org_",
     SR_B "(api_org_[A-Za-z]{34})" SR_EA, 0, NULL, NULL, 0, 0},
    {"BW-SEC-GROQ-001", "Groq API key", BW_SEV_HIGH, "gsk_", SR_B "(gsk_[A-Za-z0-9]{52})" SR_EA, 0, NULL,
     NULL, 0, 0},
    {"BW-SEC-REPLICATE-001", "Replicate API token", BW_SEV_HIGH, "r8_", SR_B "(r8_[A-Za-z0-9]{37})" SR_EA, 0,
     NULL, NULL, 0, 0},
    {"BW-SEC-PERPLEXITY-001", "Perplexity API key", BW_SEV_HIGH, "pplx-", SR_B "(pplx-[A-Za-z0-9]{48})" SR_EA,
     0, NULL, NULL, 0, 0},
    {"BW-SEC-XAI-001", "xAI API key", BW_SEV_HIGH, "xai-", SR_B "(xai-[A-Za-z0-9]{80})" SR_EA, 0, NULL, NULL,
     0, 0},
    {"BW-SEC-COHERE-001", "Cohere API key", BW_SEV_HIGH, "cohere|co_api",
     SR_KEY("cohere|co_api") "(?:api)?[\\w.-]{0,6}?key" SR_ASSIGN "([A-Za-z0-9]{40})" SR_EA, 3.0, NULL, NULL,
     0, 0},
    {"BW-SEC-MISTRAL-001", "Mistral AI API key", BW_SEV_HIGH, "mistral",
     SR_KEY("mistral") "(?:api)?[\\w.-]{0,6}?key" SR_ASSIGN "([A-Za-z0-9]{32})" SR_EA, 3.0, NULL, NULL, 0, 0},
    {"BW-SEC-DEEPSEEK-001", "DeepSeek API key", BW_SEV_HIGH, "deepseek",
     SR_KEY("deepseek") "(?:api)?[\\w.-]{0,6}?key" SR_ASSIGN "(sk-[a-f0-9]{32})" SR_EA, 0, NULL, NULL, 0, 0},
    {NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, 0, 0},
};
