#!/usr/bin/env python3
"""Writes tests/corpus/malformed/*.toml: one file per kind of mistake, each a copy of
tests/corpus/base.toml (which validates) with one mistake, headed by its expectation:

    # expect: LINE:COLUMN FIELD WORDS...

LINE:COLUMN is where the mistake is (found here by locating the needle in the text, never by
running copysim), FIELD the field the error must name, WORDS a phrase its message must contain.
Run from the repository root; review the diff."""
import os
import re

BASE = open("tests/corpus/base.toml").read()
OUT = "tests/corpus/malformed"

def sub(old, new):
    return ("sub", old, new)

def app(text):
    return ("app", text)

VOL = '\n[[volumes]]\nname = "v2"\naccount = "acct"\nregion = "ibm-src"\nsize = "1GB"\n'
FLEET = '\n[[fleets]]\nname = "f2"\ncount = 2\naccount = "acct"\nregion = "ebs-a"\nsize = "1GB"\n'
SCHED = '\n[[schedules]]\nname = "s2"\nvolumes = ["ebs1"]\nevery = "6h"\n'
POL = '\n[[policies]]\nname = "p2"\naccount = "acct"\nregion = "ibm-src"\ntags = ["tier:db"]\n'
PLAN = '\n[[policies.plans]]\nname = "weekly"\ncron = "weekly"\n'
EV = '\n[[events]]\nat = "1h"\n'
IAM = '\n[[accounts]]\nname = "t2"\n\n[accounts.iam]\ngroup = "G"\n'

# (file stem, edits, needle (its last occurrence is the expected position), field, words)
CASES = [
    # top level
    ("seed-string", [sub('seed = 7', 'seed = "forty-two"')], '"forty-two"', "seed", "whole number (u64)"),
    ("seed-float", [sub('seed = 7', 'seed = 1.5')], '1.5', "seed", "whole number"),
    ("seed-negative", [sub('seed = 7', 'seed = -3')], '-3', "seed", "whole number"),
    ("seed-overflow", [sub('seed = 7', 'seed = 99999999999999999999')], '99999999999999999999', "seed", "integer"),
    ("max-events-string", [sub('seed = 7', 'max_events = "lots"')], '"lots"', "max_events", "whole number"),
    ("max-events-zero", [sub('seed = 7', 'max_events = 0')], 'max_events = |0', "max_events", "at least 1"),
    ("max-events-too-small", [sub('seed = 7', 'max_events = 100')], 'max_events = |100', "max_events", "2 budgets are past it"),
    ("max-events-below-the-events", [sub('seed = 7', 'max_events = 1000')], '"1h"', "every", "more than max_events = 1000"),
    ("name-integer", [sub('name = "corpus"', 'name = 5')], 'name = |5', "name", "quoted string"),
    ("name-path", [sub('name = "corpus"', 'name = "../x"')], '"../x"', "name", "output folder"),
    ("name-empty", [sub('name = "corpus"', 'name = ""')], '""', "name", "output folder"),
    ("name-too-long", [sub('name = "corpus"', 'name = "' + 'a' * 300 + '"')], '"' + 'a' * 300 + '"', "name", "300 characters long"),
    ("start-unquoted-datetime", [sub('start = "2026-01-01T00:00:00Z"', 'start = 2026-01-01T00:00:00Z')], '2026-01-01T00:00:00Z', "start", 'quoted string like "2026-01-01T00:00:00Z"'),
    ("start-unquoted-date", [sub('start = "2026-01-01T00:00:00Z"', 'start = 2026-01-01')], '2026-01-01', "start", "unquoted TOML date-time"),
    ("start-words", [sub('start = "2026-01-01T00:00:00Z"', 'start = "yesterday"')], '"yesterday"', "start", "RFC 3339"),
    ("start-no-zone", [sub('start = "2026-01-01T00:00:00Z"', 'start = "2026-01-01T00:00:00"')], '"2026-01-01T00:00:00"', "start", "RFC 3339"),
    ("start-year-9999", [sub('start = "2026-01-01T00:00:00Z"', 'start = "9999-06-01T00:00:00Z"')], '"9999-06-01T00:00:00Z"', "start", "9999-01-01"),
    ("start-missing", [sub('start = "2026-01-01T00:00:00Z"\n', '')], '^', "start", "missing field"),
    ("horizon-integer", [sub('horizon = "3d"', 'horizon = 3')], 'horizon = |3', "horizon", "quoted string"),
    ("horizon-fortnight", [sub('horizon = "3d"', 'horizon = "1 fortnight"')], '"1 fortnight"', "horizon", "duration"),
    ("horizon-zero", [sub('horizon = "3d"', 'horizon = "0s"')], '"0s"', "horizon", "at least 1 ms"),
    ("horizon-500-million-years", [sub('horizon = "3d"', 'horizon = "500000000 years"')], '"500000000 years"', "horizon", "9999-01-01"),
    ("horizon-past-9999", [sub('horizon = "3d"', 'horizon = "8000 years"')], '"8000 years"', "horizon", "9999-01-01"),
    ("horizon-unquoted", [sub('horizon = "3d"', 'horizon = 3d')], '3d', "horizon", "must be quoted"),
    ("horizon-typo", [sub('horizon = "3d"', 'horizn = "3d"')], 'horizn', "horizn", "unknown field"),
    ("description-integer", [sub('seed = 7', 'seed = 7\ndescription = 5')], 'description = |5', "description", "quoted string"),
    ("unknown-top-level", [sub('seed = 7', 'seed = 7\ncolour = "blue"')], 'colour', "colour", "unknown field"),
    ("no-regions", [("regions-none",)], '^', "regions", "at least one"),
    # syntax
    ("syntax-unterminated-string", [sub('name = "corpus"', 'name = "corpus')], 'name = "corpus|', "name", "string"),
    ("syntax-missing-equals", [sub('horizon = "3d"', 'horizon "3d"')], '"3d"', "horizon", "expected"),
    ("syntax-bad-header", [sub('[[keys]]', '[[keys]')], '[[keys]|\nname = "k1"', "keys", "expected"),
    ("syntax-duplicate-key", [sub('size = "50GB"', 'size = "50GB"\nsize = "60GB"')], 'size = "60GB"', "size", "duplicate key"),
    ("syntax-trailing-garbage", [sub('size = "50GB"', 'size = "50GB" xyz')], 'xyz', "size", "expected"),
    ("syntax-unclosed-array", [sub('tags = ["app"]', 'tags = ["app"')], '|[[schedules]]', "tags", "array"),
    ("syntax-bare-word", [sub('provider = "huawei_cbr"', 'provider = huawei_cbr')], 'huawei_cbr', "provider", "string"),
    ("syntax-bad-escape", [sub('capacity = "10TB"', 'capacity = "10\\qTB"')], '\\|q', "capacity", "escape"),
    ("syntax-unclosed-inline-table", [sub('copy_to = [{ region = "ebs-b" }]', 'copy_to = [{ region = "ebs-b" ]')], ']\n\n[[policies]]', "copy_to", "expected"),
    ("syntax-table-redefined", [sub('[report]\nrpo_target = "2h"', '[report]\nrpo_target = "2h"\n\n[report]\nrpo_resolution = "1h"')], 'report]\nrpo_resolution', "report", "duplicate"),
    ("syntax-garbage-line", [sub('seed = 7', 'seed = 7\n!!!')], '!!!|', "seed", "expected"),
    ("syntax-dotted-key-too-deep", [sub('seed = 7', 'seed = 7\n' + '.'.join(f'k{i}' for i in range(100)) + ' = 1')], 'k0.k1.k2', "k0", "a dotted key of 100 parts"),
    ("non-utf8-in-value", [sub('size = "50GB"', 'size = "50@@FF@@GB"')], '@@FF@@', "size", "not UTF-8"),
    ("non-utf8-in-comment", [sub('seed = 7', 'seed = 7 # caf@@FF@@')], '@@FF@@', "seed", "not UTF-8"),
    # regions
    ("region-provider-unknown", [sub('provider = "huawei_cbr"', 'provider = "azure"')], '"azure"', "provider", "unknown provider"),
    ("region-provider-integer", [sub('provider = "huawei_cbr"', 'provider = 3')], 'provider = |3', "provider", "quoted string"),
    ("region-provider-missing", [sub('name = "hw-a"\nprovider = "huawei_cbr"', 'name = "hw-a"')], '[[regions]]', "provider", "missing field"),
    ("region-partition-unknown", [sub('provider = "huawei_cbr"', 'provider = "huawei_cbr"\npartition = "mars"')], '"mars"', "partition", "unknown partition"),
    ("region-opt-in-string", [sub('provider = "huawei_cbr"', 'provider = "huawei_cbr"\nopt_in = "yes"')], '"yes"', "opt_in", "true or false"),
    ("region-cross-region-copy-integer", [sub('provider = "huawei_cbr"', 'provider = "huawei_cbr"\ncross_region_copy = 1')], '1\n', "cross_region_copy", "true or false"),
    ("region-code-integer", [sub('code = "ocib"', 'code = 7')], '7\n', "code", "quoted string"),
    ("region-duplicate", [sub('name = "hw-a"', 'name = "ebs-b"')], '"ebs-b"\nprovider = "huawei_cbr"', "name", "declared twice (first at line {first:name = \"ebs-b\"})"),
    ("region-code-collision", [sub('code = "ocib"', 'code = "ocia"')], '"ocia"', "code", "declared twice (first at line {first:code = \"ocia\"})"),
    ("region-code-is-a-region-name", [sub('code = "ocib"', 'code = "oci-a"')], '"oci-a"', "code", "name of another region"),
    ("region-unknown-field", [sub('provider = "huawei_cbr"', 'provider = "huawei_cbr"\ncolour = "red"')], 'colour', "colour", "unknown field"),
    # links
    ("link-bandwidth-words", [sub('bandwidth = "10Gbps"', 'bandwidth = "fast"')], '"fast"', "bandwidth", "expected a rate"),
    ("link-bandwidth-zero", [sub('bandwidth = "10Gbps"', 'bandwidth = "0Gbps"')], '"0Gbps"', "bandwidth", "must be more than zero"),
    ("link-bandwidth-missing", [sub('bandwidth = "10Gbps"\n', '')], '[[links]]', "bandwidth", "missing field"),
    ("link-from-unknown", [sub('from = "ebs-a"', 'from = "ebs-z"')], '"ebs-z"', "from", "unknown region"),
    ("link-across-providers", [sub('to = "ebs-b"', 'to = "oci-a"')], '"oci-a"\nbandwidth', "to", "one provider"),
    ("link-duplicate", [app('\n[[links]]\nfrom = "ebs-a"\nto = "ebs-b"\nbandwidth = "1Gbps"\n')], '"ebs-a"\nto = "ebs-b"\nbandwidth = "1Gbps"', "from", "declared twice"),
    ("link-latency-words", [sub('bandwidth = "10Gbps"', 'bandwidth = "10Gbps"\nlatency = "soon"')], '"soon"', "latency", "duration"),
    ("link-bidirectional-string", [sub('bandwidth = "10Gbps"', 'bandwidth = "10Gbps"\nbidirectional = "yes"')], '"yes"', "bidirectional", "true or false"),
    ("link-cap-words", [sub('bandwidth = "10Gbps"', 'bandwidth = "10Gbps"\ncopy_throughput_cap = "quick"')], '"quick"', "copy_throughput_cap", "expected a rate"),
    # accounts, vaults, iam
    ("account-duplicate", [sub('name = "tenancy"', 'name = "acct"')], '"acct"\n\n[accounts.iam]', "name", "declared twice (first at line {first:name = \"acct\"})"),
    ("account-concurrency-negative", [sub('name = "other"', 'name = "other"\ncopy_concurrency = -1')], '-1', "copy_concurrency", "whole number"),
    ("account-concurrency-string", [sub('name = "other"', 'name = "other"\ncopy_concurrency = "10"')], '"10"', "copy_concurrency", "whole number"),
    ("account-organization-integer", [sub('name = "other"', 'name = "other"\norganization = 1')], '1\n', "organization", "quoted string"),
    ("vault-duplicate", [sub('capacity = "10TB"', 'capacity = "10TB"\n\n[[accounts.vaults]]\nname = "vault1"\nregion = "hw-a"\ncapacity = "1TB"')], '"vault1"', "name", "declared twice (first at line {first:name = \"vault1\"})"),
    ("vault-region-unknown", [sub('region = "hw-a"', 'region = "hw-z"')], '"hw-z"', "region", "unknown region"),
    ("vault-capacity-words", [sub('capacity = "10TB"', 'capacity = "lots"')], '"lots"', "capacity", "expected a size"),
    ("iam-bad-verb", [app(IAM + 'statements = ["Allow group G to fly volume-backups in tenancy"]\n')], 'fly', "statements", "expected a verb"),
    ("iam-unknown-region", [app(IAM + 'statements = ["Allow group G to use volume-backups in tenancy where request.region = \'mars\'"]\n')], 'mars', "statements", "no [[regions]] table declares"),
    ("iam-unknown-target-region", [app(IAM + 'statements = ["Allow group G to use volume-backups in tenancy where target.region = \'lhr\'"]\n')], 'lhr', "statements", "no [[regions]] table declares"),
    ("iam-statements-string", [app(IAM + 'statements = "Allow group G to use volume-backups in tenancy"\n')], '"Allow group G to use volume-backups in tenancy"', "statements", "array"),
    ("iam-group-missing", [app('\n[[accounts]]\nname = "t2"\n\n[accounts.iam]\nstatements = []\n')], '[accounts.iam]\nstatements = []', "group", "missing field"),
    ("iam-escaped-statement", [app(IAM + 'statements = ["Allow group \\u0047 to fly volume-backups in tenancy"]\n')], 'fly', "statements", "expected a verb"),
    ("iam-escaped-quote-statement", [app(IAM + 'statements = ["Allow group G to use volume-backups in tenancy where request.region = \\"ocia\\""]\n')], '\\"ocia', "statements", "expected"),
    ("iam-multiline-basic-statement", [app(IAM + 'statements = ["""\nAllow group G \\\n  to fly volume-backups in tenancy"""]\n')], 'fly', "statements", "expected a verb"),
    ("iam-multiline-literal-statement", [app(IAM + "statements = ['''\nAllow group G\nto fly volume-backups in tenancy''']\n")], 'fly', "statements", "expected a verb"),
    ("iam-unicode-escape-region", [app(IAM + 'statements = ["Allow group G to use volume-backups in tenancy where request.region = \'caf\\u00e9\'"]\n')], 'caf\\u00e9', "statements", "no [[regions]] table declares"),
    # keys
    ("key-duplicate", [app('\n[[keys]]\nname = "k1"\naccount = "acct"\n')], '"k1"', "name", "declared twice (first at line {first:name = \"k1\"})"),
    ("key-named-none", [app('\n[[keys]]\nname = "none"\naccount = "acct"\n')], '"none"', "name", "reserved"),
    ("key-account-unknown", [sub('name = "k1"\naccount = "acct"', 'name = "k1"\naccount = "nobody"')], '"nobody"', "account", "unknown account"),
    ("key-region-unknown", [sub('region = "ebs-b"\n\n[[volumes]]', 'region = "ebs-q"\n\n[[volumes]]')], '"ebs-q"', "region", "unknown region"),
    ("key-grant-unknown", [sub('region = "ebs-b"\n\n[[volumes]]', 'region = "ebs-b"\ngrants = ["ghost"]\n\n[[volumes]]')], '"ghost"', "grants", "unknown account"),
    ("key-grant-listed-twice", [sub('region = "ebs-b"\n\n[[volumes]]', 'region = "ebs-b"\ngrants = ["other", "other"]\n\n[[volumes]]')], '"other", |"other"]', "grants", "account `other` is listed twice (first at line {first:grants = })"),
    ("key-customer-managed-string", [sub('region = "ebs-b"\n\n[[volumes]]', 'region = "ebs-b"\ncustomer_managed = "no"\n\n[[volumes]]')], '"no"', "customer_managed", "true or false"),
    # volumes
    ("volume-duplicate", [app('\n[[volumes]]\nname = "vol1"\naccount = "acct"\nregion = "ibm-src"\nsize = "1GB"\n')], '"vol1"\naccount', "name", "declared twice (first at line {first:name = \"vol1\"})"),
    ("volume-size-furlongs", [sub('size = "100GB"', 'size = "12 furlongs"')], '"12 furlongs"', "size", "expected a size"),
    ("volume-size-zero", [sub('size = "100GB"', 'size = "0"')], '"0"', "size", "above zero"),
    ("volume-size-integer", [sub('size = "100GB"', 'size = 100')], '100\n', "size", "quoted string"),
    ("volume-size-negative", [sub('size = "100GB"', 'size = "-5GB"')], '"-5GB"', "size", "expected a size"),
    ("volume-size-near-u64-max", [sub('size = "50GB"', 'size = "18EB"')], '"18EB"', "size", "2^64"),
    ("volume-kind-unknown", [sub('size = "100GB"', 'size = "100GB"\nkind = "tape"')], '"tape"', "kind", "unknown volume kind"),
    ("volume-change-no-percent", [sub('size = "100GB"', 'size = "100GB"\ndaily_change = "5"')], '"5"', "daily_change", "percentage"),
    ("volume-change-over-100", [sub('size = "100GB"', 'size = "100GB"\ndaily_change = "150%"')], '"150%"', "daily_change", "between 0% and 100%"),
    ("volume-key-unknown", [sub('size = "50GB"', 'size = "50GB"\nkey = "k9"')], '"k9"', "key", "unknown key"),
    ("volume-tags-string", [sub('tags = ["tier:db"]\n\n[[volumes]]', 'tags = "tier:db"\n\n[[volumes]]')], '"tier:db"\n\n[[volumes]]', "tags", "array"),
    ("volume-instance-other-region", [sub('region = "ebs-a"\nsize = "50GB"', 'region = "ebs-a"\nsize = "50GB"\ninstance = "inst1"')], 'instance = |"inst1"', "instance", "in its own region"),
    ("volume-second-boot", [sub('tags = ["tier:db"]\n\n[[volumes]]', 'tags = ["tier:db"]\ninstance = "inst1"\nboot = true\n\n[[volumes]]'), app('\n[[volumes]]\nname = "vol9"\naccount = "acct"\nregion = "ibm-src"\nsize = "1GB"\ninstance = "inst1"\nboot = true\n')], 'boot = |true\n', "boot", "already has a boot volume (line {first:name = \"vol1\"})"),
    ("vault-outside-huawei", [sub('name = "vault1"\nregion = "hw-a"', 'name = "vault1"\nregion = "ebs-a"')], '"ebs-a"\ncapacity', "region", "not shared into vaults"),
    ("volume-tag-empty", [sub('tags = ["tier:db"]\n\n[[volumes]]', 'tags = [""]\n\n[[volumes]]')], 'tags = [|""]\n\n[[volumes]]', "tags", "found an empty string"),
    ("volume-tag-listed-twice", [sub('tags = ["tier:db"]\n\n[[volumes]]', 'tags = ["tier:db", "tier:db"]\n\n[[volumes]]')], '"tier:db", |"tier:db"]\n\n[[volumes]]', "tags", "tag `tier:db` is listed twice"),
    ("volume-instance-unknown", [sub('size = "100GB"', 'size = "100GB"\ninstance = "inst9"')], '"inst9"', "instance", "unknown instance"),
    ("volume-generation-3", [sub('size = "100GB"', 'size = "100GB"\ngeneration = 3')], 'generation = |3', "generation", "expected 1"),
    ("volume-generation-300", [sub('size = "100GB"', 'size = "100GB"\ngeneration = 300')], '300', "generation", "u8, 0 to 255"),
    ("volume-account-unknown", [sub('name = "ebs1"\naccount = "acct"', 'name = "ebs1"\naccount = "acme"')], '"acme"', "account", "unknown account"),
    ("volume-region-unknown", [sub('region = "ibm-src"\nsize = "100GB"', 'region = "mars-1"\nsize = "100GB"')], '"mars-1"', "region", "unknown region"),
    ("volume-boot-string", [sub('size = "100GB"', 'size = "100GB"\nboot = "true"')], '"true"', "boot", "true or false"),
    ("volume-missing-size", [app('\n[[volumes]]\nname = "v2"\naccount = "acct"\nregion = "ibm-src"\n')], '[[volumes]]\nname = "v2"', "size", "missing field"),
    # fleets
    ("fleet-count-zero", [sub('count = 3', 'count = 0')], '0\naccount', "count", "between 1 and"),
    ("fleet-count-too-many", [sub('count = 3', 'count = 2000000')], '2000000', "count", "at most 1000000"),
    ("fleet-count-words", [sub('count = 3', 'count = "ten"')], '"ten"', "count", "whole number"),
    ("fleet-count-negative", [sub('count = 3', 'count = -5')], '-5', "count", "whole number"),
    ("fleet-size-above-max", [sub('size = "10GB"', 'size = "30GB"')], '"30GB"', "size", "size <= size_max"),
    ("fleet-change-above-max", [sub('size_max = "20GB"', 'size_max = "20GB"\ndaily_change = "5%"\ndaily_change_max = "1%"')], '"5%"', "daily_change", "daily_change <= daily_change_max"),
    ("fleet-named-like-volume", [app(FLEET.replace('"f2"', '"vol1"'))], '"vol1"\ncount', "name", "declared twice"),
    ("fleet-duplicate", [app(FLEET.replace('"f2"', '"web"'))], '"web"\ncount = 2', "name", "declared twice: `web` already names a volume or fleet (first at line {first:name = \"web\"})"),
    ("fleet-size-total-overflow", [sub('size = "10GB"\nsize_max = "20GB"', 'size = "10EB"\nsize_max = "10EB"')], '"10EB"', "size_max", "2^64"),
    ("fleet-size-max-words", [sub('size_max = "20GB"', 'size_max = "big"')], '"big"', "size_max", "expected a size"),
    ("fleet-generation-string", [sub('size_max = "20GB"', 'size_max = "20GB"\ngeneration = "2"')], '"2"', "generation", "whole number (u8"),
    # instances
    ("instance-duplicate", [app('\n[[instances]]\nname = "inst1"\naccount = "acct"\nregion = "ibm-src"\n')], '"inst1"', "name", "declared twice (first at line {first:name = \"inst1\"})"),
    ("instance-account-unknown", [sub('name = "inst1"\naccount = "acct"', 'name = "inst1"\naccount = "who"')], '"who"', "account", "unknown account"),
    ("instance-tags-integer", [sub('tags = ["app"]', 'tags = [1]')], 'tags = [|1]', "tags", "quoted string"),
    # schedules
    ("schedule-duplicate", [app(SCHED.replace('"s2"', '"hourly"'))], '"hourly"', "name", "declared twice (first at line {first:name = \"hourly\"})"),
    ("schedule-every-words", [sub('every = "1h"', 'every = "soon"')], '"soon"', "every", "duration"),
    ("schedule-every-zero", [sub('every = "1h"', 'every = "0s"')], '"0s"', "every", "at least 1 ms"),
    ("schedule-every-65ms", [sub('every = "1h"', 'every = "65ms"')], '"65ms"', "every", "more than max_events"),
    ("schedule-every-1ms-long-horizon", [sub('horizon = "3d"', 'horizon = "3650d"'), sub('every = "1h"', 'every = "1ms"')], '"1ms"', "every", "events"),
    ("schedule-volumes-unknown", [sub('volumes = ["web", "ebs1"]', 'volumes = ["web", "nope"]')], '"nope"', "volumes", "unknown volume or fleet"),
    ("schedule-volumes-string", [sub('volumes = ["web", "ebs1"]', 'volumes = "web"')], '"web"\nevery', "volumes", "array"),
    ("schedule-volume-listed-twice", [sub('volumes = ["web", "ebs1"]', 'volumes = ["web", "ebs1", "web-0002"]')], '"web-0002"', "volumes", "listed twice"),
    ("fast-restore-volume-listed-twice", [app('\n[[fast_restore]]\nvolumes = ["ebs1", "ebs1"]\nregion = "ebs-b"\n')], '"ebs1"]', "volumes", "listed twice"),
    ("schedule-target-region-unknown", [sub('copy_to = [{ region = "ebs-b" }]', 'copy_to = [{ region = "ebs-x" }]')], '"ebs-x"', "region", "unknown region"),
    ("schedule-target-key-unknown", [sub('copy_to = [{ region = "ebs-b" }]', 'copy_to = [{ region = "ebs-b", key = "k7" }]')], '"k7"', "key", "unknown key"),
    ("schedule-target-region-closed", [sub('name = "ebs-b"\nprovider = "aws_ebs"', 'name = "ebs-b"\nprovider = "aws_ebs"\ncross_region_copy = false')], '"ebs-b" }', "copy_to.region", "takes no cross-region copy"),
    ("schedule-target-across-providers", [sub('copy_to = [{ region = "ebs-b" }]', 'copy_to = [{ region = "oci-b" }]')], '"oci-b" }', "copy_to.region", "never cross providers"),
    ("schedule-target-source-region-ibm", [app(SCHED.replace('["ebs1"]', '["vol1"]') + 'copy_to = [{ region = "ibm-src" }]\n')], '"ibm-src" }', "copy_to.region", "source (local) region"),
    ("schedule-target-account-unshared", [sub('copy_to = [{ region = "ebs-b" }]', 'copy_to = [{ region = "ebs-b", account = "other" }]')], '"ebs-b", account', "copy_to.region", "share_with"),
    ("schedule-retention-days-zero", [sub('every = "1h"', 'every = "1h"\nretention_days = 0')], '0\n', "retention_days", "between 1 and 1000"),
    ("schedule-retention-count-zero", [sub('every = "1h"', 'every = "1h"\nretention_count = 0')], '0\n', "retention_count", "between 1 and"),
    ("schedule-retention-days-negative", [sub('every = "1h"', 'every = "1h"\nretention_days = -2')], '-2', "retention_days", "whole number"),
    ("schedule-offset-words", [sub('every = "1h"', 'every = "1h"\noffset = "later"')], '"later"', "offset", "duration"),
    ("schedule-offset-after-horizon", [sub('every = "1h"', 'every = "1h"\noffset = "4d"')], '"4d"', "offset", "after the horizon"),
    ("schedule-share-with-unknown", [sub('every = "1h"', 'every = "1h"\nshare_with = ["ghost"]')], '"ghost"', "share_with", "unknown account"),
    ("schedule-share-with-listed-twice", [sub('every = "1h"', 'every = "1h"\nshare_with = ["other", "other"]')], '"other", |"other"]', "share_with", "account `other` is listed twice"),
    ("schedule-cron-field", [sub('every = "1h"', 'every = "1h"\ncron = "daily"')], 'cron = "daily"', "cron", "unknown field"),
    ("schedule-every-missing", [sub('every = "1h"\n', '')], '[[schedules]]\nname = "hourly"', "every", "missing field"),
    # policies and plans
    ("policy-duplicate", [app(POL.replace('"p2"', '"pol"'))], '"pol"', "name", "declared twice (first at line {first:name = \"pol\"})"),
    ("policy-named-like-schedule", [app(POL.replace('"p2"', '"hourly"'))], '"hourly"\naccount', "name", "already names a schedule"),
    ("plan-duplicate", [app(PLAN.replace('"weekly"', '"daily"', 1))], '"daily"\ncron = "weekly"', "name", "declared twice (first at line {first:name = \"daily\"})"),
    ("plan-cron-never-fires", [sub('cron = "0 3 * * *"', 'cron = "0 0 30 2 *"')], '"0 0 30 2 *"', "cron", "never fires"),
    ("plan-cron-april-31", [sub('cron = "0 3 * * *"', 'cron = "0 0 31 4 *"')], '"0 0 31 4 *"', "cron", "never fires"),
    ("plan-cron-words", [sub('cron = "0 3 * * *"', 'cron = "every tuesday"')], '"every tuesday"', "cron", "5-field cron"),
    ("plan-cron-minute-61", [sub('cron = "0 3 * * *"', 'cron = "61 * * * *"')], '"61 * * * *"', "cron", "bad cron"),
    ("plan-cron-six-fields", [sub('cron = "0 3 * * *"', 'cron = "0 0 3 * * *"')], '"0 0 3 * * *"', "cron", "5-field cron"),
    ("plan-cron-every-minute-long", [sub('horizon = "3d"', 'horizon = "3650d"'), sub('cron = "0 3 * * *"', 'cron = "* * * * *"')], '"* * * * *"', "cron", "more than max_events"),
    ("policy-target-unknown", [sub('tags = ["tier:db"]\n\n[[policies.plans]]', 'tags = ["tier:db"]\ntarget = "disks"\n\n[[policies.plans]]')], '"disks"', "target", "unknown target"),
    ("policy-no-tags", [sub('tags = ["tier:db"]\n\n[[policies.plans]]', 'tags = []\n\n[[policies.plans]]')], '"pol"', "tags", "at least one user tag"),
    ("policy-five-plans", [app(PLAN.replace('"weekly"', '"p3"', 1) + PLAN.replace('"weekly"', '"p4"', 1) + PLAN.replace('"weekly"', '"p5"', 1) + PLAN.replace('"weekly"', '"p6"', 1))], '"p6"', "plans", "at most 4 plans"),
    ("plan-retention-days-1001", [sub('cron = "0 3 * * *"', 'cron = "0 3 * * *"\nretention_days = 1001')], '1001', "retention_days", "between 1 and 1000"),
    ("plan-retention-count-huge", [sub('cron = "0 3 * * *"', 'cron = "0 3 * * *"\nretention_count = 5000')], '5000', "retention_count", "between 1 and 750"),
    ("plan-enabled-string", [sub('cron = "0 3 * * *"', 'cron = "0 3 * * *"\nenabled = "no"')], '"no"', "enabled", "true or false"),
    ("policy-account-unknown", [sub('name = "pol"\naccount = "acct"', 'name = "pol"\naccount = "zed"')], '"zed"', "account", "unknown account"),
    # events
    ("event-after-horizon", [sub('at = "2h"', 'at = "4d"')], '"4d"', "at", "after the horizon"),
    ("event-before-start", [sub('at = "2h"', 'at = "2025-12-31T00:00:00Z"')], '"2025-12-31T00:00:00Z"', "at", "before the scenario's start"),
    ("event-at-words", [sub('at = "2h"', 'at = "tomorrow"')], '"tomorrow"', "at", "expected an offset"),
    ("event-at-unquoted-datetime", [sub('at = "2h"', 'at = 2026-01-01T02:00:00Z')], '2026-01-01T02:00:00Z', "at", "quoted string like"),
    ("event-action-unknown", [sub('action = "backup"', 'action = "explode"')], '"explode"', "action", "unknown action"),
    ("event-field-does-not-apply", [sub('volume = "vol1"', 'volume = "vol1"\nto = "ibm-dst"')], '"ibm-dst"', "to", "does not apply"),
    ("event-field-missing", [app(EV + 'action = "copy"\nvolume = "vol1"\nseq = 1\n')], '"copy"', "to", "needs `to`"),
    ("event-seq-zero", [app(EV + 'action = "copy"\nvolume = "vol1"\nseq = 0\nto = "ibm-dst"\n')], '0\nto', "seq", "numbered from 1"),
    ("event-seq-negative", [app(EV + 'action = "copy"\nvolume = "vol1"\nseq = -1\nto = "ibm-dst"\n')], '-1', "seq", "whole number"),
    ("event-volume-unknown", [sub('volume = "vol1"', 'volume = "vol9"')], '"vol9"', "volume", "unknown volume"),
    ("event-resize-zero", [app(EV + 'action = "resize"\nvolume = "vol1"\nsize = "0GB"\n')], '"0GB"', "size", "above zero"),
    ("event-outage-duration-words", [app(EV + 'action = "region_outage"\nregion = "ebs-b"\nduration = "a while"\n')], '"a while"', "duration", "duration"),
    ("event-policy-unknown", [app(EV + 'action = "disable_plan"\npolicy = "nopol"\n')], '"nopol"', "policy", "unknown policy"),
    ("event-plan-unknown", [app(EV + 'action = "disable_plan"\npolicy = "pol"\nplan = "hourly"\n')], '"hourly"\n', "plan", "has no plan"),
    ("event-plan-of-a-schedule", [app(EV + 'action = "enable_plan"\npolicy = "hourly"\nplan = "x"\n')], '"x"', "plan", "is a schedule, not a policy"),
    ("event-grant-key-none", [app(EV + 'action = "grant_key"\nkey = "none"\naccount = "other"\n')], '"none"', "key", "not `none`"),
    ("event-accept-vault-unknown", [app(EV + 'action = "accept"\nvolume = "vol1"\nseq = 1\naccount = "other"\nvault = "vault9"\n')], '"vault9"', "vault", "no vault"),
    ("event-public-string", [app(EV + 'action = "share"\nvolume = "ebs1"\nseq = 1\npublic = "yes"\n')], '"yes"', "public", "true or false"),
    ("event-copy-across-providers", [app(EV + 'action = "copy"\nvolume = "vol1"\nseq = 1\nto = "ebs-b"\n')], '"ebs-b"\n', "to", "never cross providers"),
    ("event-unknown-field", [sub('volume = "vol1"', 'volume = "vol1"\nwhen = "now"')], 'when', "when", "unknown field"),
    # limits of the model's tables
    ("too-many-regions", [app("".join(f'\n[[regions]]\nname = "r{i}"\nprovider = "oci"\n' for i in range(250)))], '"r249"', "name", "at most 256"),
    ("too-many-volumes", [app(FLEET.replace("count = 2", "count = 999999"))], 'count = |999999', "count", "at most 1000000"),
    ("rpo-timeline-too-long", [sub('horizon = "3d"', 'horizon = "3650d"'), sub('every = "1h"', 'every = "30d"'), sub('count = 3', 'count = 20000'), sub('rpo_target = "2h"', 'rpo_target = "2h"\nrpo_resolution = "1m"')], '"1m"', "rpo_resolution", "RPO timeline"),
    # cost, report, fast restore, providers, faults
    ("provider-huawei-copy-concurrency", [app('\n[providers.huawei_cbr]\ncopy_concurrency = 4\n')], '4\n', "copy_concurrency", "no copies a quota could hold"),
    ("cost-provider-unknown", [app('\n[cost]\nprices = [{ provider = "gcp", storage_per_gb_month = 0.02 }]\n')], '"gcp"', "provider", "unknown provider"),
    ("cost-price-negative", [app('\n[cost]\nprices = [{ provider = "aws_ebs", storage_per_gb_month = -1.0 }]\n')], '-1.0', "storage_per_gb_month", "price in US dollars"),
    ("cost-price-string", [app('\n[cost]\nprices = [{ provider = "aws_ebs", transfer_per_gb = "cheap" }]\n')], '"cheap"', "transfer_per_gb", "a number"),
    ("cost-transfer-from-unknown", [app('\n[cost]\ntransfer = [{ from = "nowhere", to = "ebs-b", per_gb = 0.02 }]\n')], '"nowhere"', "from", "unknown region"),
    ("cost-price-duplicate", [app('\n[cost]\nprices = [\n  { provider = "aws_ebs", storage_per_gb_month = 0.05 },\n  { provider = "aws_ebs", storage_per_gb_month = 0.04 },\n]\n')], '"aws_ebs", storage_per_gb_month = 0.04', "provider", "declared twice"),
    ("cost-transfer-duplicate", [app('\n[cost]\ntransfer = [\n  { from = "ebs-a", to = "ebs-b", per_gb = 0.02 },\n  { from = "ebs-a", to = "ebs-b", per_gb = 0.03 },\n]\n')], '"ebs-a", to = "ebs-b", per_gb = 0.03', "from", "declared twice"),
    ("cost-missing-price", [app('\n[cost]\n')], '[cost]', "cost.prices", "no backup storage price"),
    ("report-resolution-too-fine", [sub('rpo_target = "2h"', 'rpo_target = "2h"\nrpo_resolution = "30s"')], '"30s"', "rpo_resolution", "at least one minute"),
    ("report-target-words", [sub('rpo_target = "2h"', 'rpo_target = "soonish"')], '"soonish"', "rpo_target", "duration"),
    ("report-measure-to-zero", [sub('rpo_target = "2h"', 'rpo_target = "2h"\nmeasure_to = "0s"')], '"0s"', "measure_to", "must end after it starts: measure_to = \"0s\" is not after the start"),
    ("report-measure-to-after-horizon", [sub('rpo_target = "2h"', 'rpo_target = "2h"\nmeasure_to = "5d"')], '"5d"', "measure_to", "must end by the horizon (3d)"),
    ("fast-restore-zones-zero", [app('\n[[fast_restore]]\nvolumes = ["ebs1"]\nregion = "ebs-b"\nzones = 0\n')], '0\n', "zones", "at least one zone"),
    ("fast-restore-zones-huge", [app('\n[[fast_restore]]\nvolumes = ["ebs1"]\nregion = "ebs-b"\nzones = 4294967295\n')], '4294967295', "zones", "at most 64 zones"),
    ("fast-restore-wrong-provider", [app('\n[[fast_restore]]\nvolumes = ["vol1"]\nregion = "oci-a"\n')], '"oci-a"\n', "region", "not a region of"),
    ("fast-restore-volume-unknown", [app('\n[[fast_restore]]\nvolumes = ["ghost"]\nregion = "ebs-b"\n')], '"ghost"', "volumes", "unknown volume or fleet"),
    ("providers-unknown", [app('\n[providers.azure]\ncopy_concurrency = 5\n')], 'azure', "providers", "unknown provider"),
    ("providers-ebs-initialization-rate", [app('\n[providers.aws_ebs]\ninitialization_rate = "50MiB/s"\n')], '"50MiB/s"', "initialization_rate", "between 100 and 300"),
    ("providers-stable-delay-words", [app('\n[providers.ibm_vpc]\nstable_delay = "a bit"\n')], '"a bit"', "stable_delay", "duration"),
    ("providers-concurrency-string", [app('\n[providers.oci]\ncopy_concurrency = "ten"\n')], '"ten"', "copy_concurrency", "whole number (u32"),
    ("faults-probability-no-percent", [app('\n[faults]\ncopy_failure_probability = "5"\n')], '"5"', "copy_failure_probability", "percentage"),
    ("faults-probability-over-100", [app('\n[faults]\ncopy_failure_probability = "200%"\n')], '"200%"', "copy_failure_probability", "between 0% and 100%"),
]


def apply(text, edits):
    for e in edits:
        if e[0] == "sub":
            assert e[1] in text, e[1]
            text = text.replace(e[1], e[2], 1)
        elif e[0] == "app":
            text = text + e[1]
        elif e[0] == "regions-none":
            blocks = text.split("\n\n")
            keep = [b for b in blocks if not b.startswith("[[regions]]") and not b.startswith("[[links]]")]
            text = "\n\n".join(keep)
            text = text[: text.index("\n\n[[accounts]]")] + "\n"
    return text


def main():
    os.makedirs(OUT, exist_ok=True)
    seen = set()
    for stem, edits, needle, field, words in CASES:
        assert stem not in seen, stem
        seen.add(stem)
        text = apply(BASE, edits)
        if needle == "^":
            line, column = 1, 1  # the top-level table starts where the file does
        else:
            bar = needle.find("|")
            at = text.rindex(needle.replace("|", "")) + max(bar, 0)
            line = text[:at].count("\n") + 2  # +1 for the expectation line
            column = len(text[text.rfind("\n", 0, at) + 1 : at]) + 1
        words = re.sub(r"\{first:([^}]*)\}", lambda m: str(text[: text.index(m.group(1))].count("\n") + 2), words)
        body = f"# expect: {line}:{column} {field} {words}\n{text}"
        data = body.encode("utf-8").replace(b"@@FF@@", b"\xff")
        with open(os.path.join(OUT, stem + ".toml"), "wb") as f:
            f.write(data)
    print(len(CASES), "files")


main()
