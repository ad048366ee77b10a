"""Expand the AWS::Serverless transform offline with aws-sam-translator.

Usage: sam_expand.py IN.json OUT.json

cfn-guard and moto_server need plain CloudFormation; neither understands the SAM transform.
No AWS call is made: managed policy names are not used by our templates, so the loader
answers from an empty table (a template that needs one fails loudly instead).
"""
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

from samtranslator.translator.transform import transform  # noqa: E402


class OfflinePolicyLoader:
    def load(self):
        return {}


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as handle:
        template = json.load(handle)
    expanded = transform(template, {}, OfflinePolicyLoader())
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        json.dump(expanded, handle, indent=2, sort_keys=False)
        handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
