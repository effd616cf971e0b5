#!/usr/bin/env bash
# Lighthouse 12 on the area dashboard and the quarterly summary, signed in, desktop preset and
# mobile default, against a server started as in production (bench/serve.sh), e.g.:
#
#   DATABASE_URL=sqlite:////tmp/light.sqlite3 .venv/bin/python manage.py migrate
#   DATABASE_URL=sqlite:////tmp/light.sqlite3 .venv/bin/python manage.py load_demo
#   DATABASE_URL=sqlite:////tmp/light.sqlite3 ALLOWED_HOSTS=127.0.0.1 bench/serve.sh 8124 2
#   [RUNS=3] bench/lighthouse.sh [BASE_URL] [OUT_DIR]
#
# Needs lighthouse@12 (npm install -g lighthouse@12) and Debian's chromium. Prints one line per
# page and preset: scores, bytes over the wire, TTI, TBT, unused JavaScript; JSON reports in OUT_DIR.
set -euo pipefail
base=${1:-http://127.0.0.1:8124}
out=${2:-bench/out/lighthouse}
user=${LH_USER:-bromley.finance}
password=${LH_PASSWORD:-better-care-demo}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
mkdir -p "$out"
# Sign in through the form: the CSRF cookie and token, then the session cookie. The cookies are
# Secure (BCF_PRODUCTION) and this is plain HTTP on loopback, so they are read from the headers
# rather than a cookie jar, which would drop them.
cookie() { sed -n "s/^set-cookie: $1=\([^;]*\);.*/\1/Ip" | tr -d '\r' | tail -1; }
login=$(curl -sf -D - "$base/accounts/login/")
csrf=$(cookie csrftoken <<<"$login")
token=$(sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' <<<"$login" | head -1)
session=$(curl -s -D - -o /dev/null -H "Cookie: csrftoken=$csrf" -e "$base/accounts/login/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=$user" \
  --data-urlencode "password=$password" "$base/accounts/login/" | cookie sessionid)
[ -n "$session" ] || { echo "lighthouse.sh: sign-in failed" >&2; exit 1; }
headers="{\"Cookie\": \"sessionid=$session\"}"

printf '%-3s %-10s %-8s %5s %5s %5s %5s %9s %7s %7s %9s %6s\n' run page preset perf a11y bp seo KB TTI_s TBT_ms unusedJS_KB bench
for run in $(seq 1 "${RUNS:-1}"); do
for page in dashboard:/areas/E09000006/2016/ summary:/areas/E09000006/2016/q4/summary/; do
  name=${page%%:*}; path=${page#*:}
  for preset in desktop mobile; do
    report="$out/$name-$preset-$run.json"
    args=(--quiet --output=json --output-path="$report" --extra-headers="$headers"
          --chrome-flags="--headless=new --no-sandbox --disable-gpu")
    [ "$preset" = desktop ] && args+=(--preset=desktop)
    lighthouse "$base$path" "${args[@]}" >/dev/null 2>&1 || true
    jq -r --arg run "$run" --arg page "$name" --arg preset "$preset" '[$run, $page, $preset,
        (.categories.performance.score * 100 | round), (.categories.accessibility.score * 100 | round),
        (.categories["best-practices"].score * 100 | round), (.categories.seo.score * 100 | round),
        (.audits["total-byte-weight"].numericValue / 1024 | round),
        (.audits.interactive.numericValue / 100 | round / 10),
        (.audits["total-blocking-time"].numericValue | round),
        ((.audits["unused-javascript"].details.overallSavingsBytes // 0) / 1024 | round),
        (.environment.benchmarkIndex | round)] | @tsv' "$report" \
      | awk -F'\t' '{printf "%-3s %-10s %-8s %5s %5s %5s %5s %9s %7s %7s %9s %6s\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12}'
  done
done
done
