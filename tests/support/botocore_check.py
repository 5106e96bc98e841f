#!/usr/bin/env python3
"""Validate StartChangeSet requests against botocore's own model of the AWS Marketplace
Catalog API (`marketplace-catalog` 2018-09-17), the check the AWS CLI makes on
`aws marketplace-catalog start-change-set --cli-input-json file://FILE`.

Usage: botocore_check.py FILE [FILE ...]   (each FILE holds one request as a JSON object)

botocore types `DetailsDocument` as a document, so this checks the envelope: required and
unknown members, types, list and string lengths. The per-change-type details are checked by
tests/support/aws_model.rs. Prints every error; exits 1 if any, 2 on a usage error, else 0.
"""

import json
import sys

import botocore.session
from botocore.validate import ParamValidator


def main(paths):
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    model = botocore.session.get_session().get_service_model("marketplace-catalog")
    shape = model.operation_model("StartChangeSet").input_shape
    failed = False
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                params = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: cannot read a JSON request: {e}")
            failed = True
            continue
        report = ParamValidator().validate(params, shape)
        if report.has_errors():
            print(f"{path}: {report.generate_report()}")
            failed = True
        else:
            print(f"{path}: valid for {model.service_name} {model.api_version} StartChangeSet")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
