#!/usr/bin/env bash
# fetch.sh rebuilds lambdawaf's external corpus (tests/corpus/external) from
# the package registries: Debian packages through apt-get download, npm
# packages through npm pack, libinjection-go's test data from the Go module
# cache, PayloadsAllTheThings and fuzzdb from GitHub at pinned commits. The versions are pinned here and in extract/sources.go; running it
# twice gives the same files. CI does not run it: the extracted cases are
# committed.
#
#   tests/corpus/external/fetch.sh            # from the repository root
set -euo pipefail

root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

debs=(wfuzz=3.1.0-2 wapiti=3.0.4+dfsg-2 sqlmap=1.7.2-1 manpages=6.03-2 fortunes=1:1.99.1-7.3 fortunes-min=1:1.99.1-7.3)
npms=(blns@2.0.4 @octokit/webhooks-examples@7.6.1 @faker-js/faker@10.6.0
  express@5.3.0 axios@1.21.1 commander@15.1.0 yargs@18.2.0 moment@2.31.0 debug@4.4.3
  marked@18.2.1 ajv@8.20.0 semver@7.8.6 minimist@1.2.8 cheerio@1.2.0 body-parser@2.4.0 request@2.88.2)

# apt-get download writes as _apt when it can; a root-owned temp dir is fine.
chmod 0777 "$work"
apt-get download "${debs[@]}" >/dev/null
for d in *.deb; do
  dpkg -x "$d" "${d%%_*}"
done
for p in "${npms[@]}"; do
  tgz=$(npm pack "$p" --silent)
  mkdir -p "${tgz%.tgz}"
  tar --warning=no-unknown-keyword -xzf "$tgz" -C "${tgz%.tgz}"
done
# faker's values: its generators run on its locale data with a fixed seed
# (extract/faker.mjs), one JSON string per line.
mkdir -p faker
node "$root/tests/corpus/external/extract/faker.mjs" faker-js-faker-10.6.0 > faker/faker.jsonl
# PayloadsAllTheThings (MIT) from GitHub at a pinned commit, the families
# the packages lack; the commit is pattCommit in extract/payloadsallthethings.go.
patt=f9fa51417886ac11476cb62db2dff21773dc570b
git init -q PayloadsAllTheThings
git -C PayloadsAllTheThings fetch -q --depth 1 https://github.com/swisskyrepo/PayloadsAllTheThings "$patt"
git -C PayloadsAllTheThings checkout -q FETCH_HEAD
if grep -ril gotestwaf PayloadsAllTheThings --exclude-dir=.git >/dev/null; then
  echo "fetch.sh: PayloadsAllTheThings mentions GoTestWAF; check what extract reads" >&2
fi
# fuzzdb (BSD-3-Clause and CC-BY) from GitHub at a pinned commit, its attack
# lists; the commit is fuzzdbCommit in extract/fuzzdb.go.
fuzz=5656ab25dc6bb43bae32236fab775658a90d7380
git init -q fuzzdb
git -C fuzzdb fetch -q --depth 1 https://github.com/fuzzdb-project/fuzzdb "$fuzz"
git -C fuzzdb checkout -q FETCH_HEAD
if grep -ril gotestwaf fuzzdb --exclude-dir=.git >/dev/null; then
  echo "fetch.sh: fuzzdb mentions GoTestWAF; check what extract reads" >&2
fi
lib=$(cd "$root" && go mod download -json github.com/corazawaf/libinjection-go@v0.3.5 | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
mkdir -p libinjection-go && cp -r "$lib/tests" libinjection-go/

cd "$root"
rm -f tests/corpus/external/tune/*.txt tests/corpus/external/holdout/*.txt
go run ./tests/corpus/external/extract -src "$work" -out tests/corpus/external
