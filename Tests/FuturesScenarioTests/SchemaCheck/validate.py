"""Validates scenario files against schema/scenario.schema.json, as an editor
would: prints one line per file, `OK` or `path<TAB>message` of the error
jsonschema's best_match picks (the one an editor shows first).

Usage: validate.py SCHEMA FILE... (YAML or JSON files)."""
import json
import sys

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
for path in sys.argv[2:]:
    with open(path) as f:
        document = yaml.safe_load(f)
    error = best_match(validator.iter_errors(document))
    if error is None:
        print("OK")
    else:
        print("/" + "/".join(str(p) for p in error.absolute_path) + "\t" + error.message)
