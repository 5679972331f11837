# Which of our distribution's dependencies, as they apply on this host (markers evaluated by pip's own packaging
# for this interpreter), are not installed in the --target folder. Run with -I: pip itself is importable.
# argv: target folder, distribution name. Output: one line "MISSING <json list>".
import importlib.metadata as metadata
import json
import sys

from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.utils import canonicalize_name

target, distribution = sys.argv[1], sys.argv[2]
installed = {canonicalize_name(d.metadata["Name"]) for d in metadata.distributions(path=[target]) if d.metadata["Name"]}
ours = next(d for d in metadata.distributions(path=[target])
            if canonicalize_name(d.metadata["Name"] or "") == canonicalize_name(distribution))
missing = {}
for line in ours.requires or []:
    requirement = Requirement(line)
    name = canonicalize_name(requirement.name)
    applies = requirement.marker is None or requirement.marker.evaluate({"extra": ""})
    if applies and name not in installed:
        missing.setdefault(name, requirement.name)
sys.stdout.write("MISSING " + json.dumps(list(missing.values())) + "\n")
