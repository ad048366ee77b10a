"""Expand the AWS::Serverless transform offline with aws-sam-translator.

Usage: sam_expand.py IN.json OUT.json [CODE_BUCKET]

cfn-guard and moto_server need plain CloudFormation; neither understands the SAM transform.
Like `sam package`, a local CodeUri (a folder next to the template) is first replaced by an
S3 location: s3://CODE_BUCKET/<folder>.zip (default bucket: prefect-ecs-stack-local-code), the
key a test uploads the zipped bundle to. No AWS call is made: our templates use no managed
policy names, so the policy loader answers from an empty table.
"""
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

from samtranslator.translator.transform import transform  # noqa: E402

DEFAULT_CODE_BUCKET = "prefect-ecs-stack-local-code"


class OfflinePolicyLoader:
    def load(self):
        return {}


def point_code_at_s3(template, bucket):
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        code_uri = resource.get("Properties", {}).get("CodeUri")
        if isinstance(code_uri, str) and not code_uri.startswith("s3://"):
            resource["Properties"]["CodeUri"] = f"s3://{bucket}/{code_uri.strip('/')}.zip"


def main() -> int:
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    bucket = sys.argv[3] if len(sys.argv) == 4 else DEFAULT_CODE_BUCKET
    with open(sys.argv[1], encoding="utf-8") as handle:
        template = json.load(handle)
    point_code_at_s3(template, bucket)
    expanded = transform(template, {}, OfflinePolicyLoader())
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        # ensure_ascii=False: cfn-guard 3.1 cannot parse the surrogate pairs (\ud83d\ude80) an emoji becomes otherwise.
        json.dump(expanded, handle, indent=2, sort_keys=False, ensure_ascii=False)
        handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
