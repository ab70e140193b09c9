# Settings of the sample app's report job. The credentials below are FAKE: planted
# for bulwark's demo (they match the AWS rules' shape, and belong to no account).
REPORT_BUCKET = "s3://bulwark-demo-reports"
AWS_ACCESS_KEY_ID = "AKIABULWARKDEMO00001"
AWS_SECRET_ACCESS_KEY = "bulwark/Demo+Fake/Secret+Key/NotReal+042"
