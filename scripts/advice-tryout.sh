#!/usr/bin/env bash
# Answers written for issue 14's card fixes (other roles and types than the user try-out's), each with what its card must
# and must not say. Run after a change to the coach to check none of them broke:
#   scripts/advice-tryout.sh [out-dir]        (cards land in out-dir, default /tmp/advice-tryout; PAR=2 runs two at once)
# Each case: id, question, answer, then checks: "+text" must appear on the card, "-text" must not.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-/tmp/advice-tryout}"
mkdir -p "$out"
export CoachBot__DataRoot="$out/data"

cases=(
  "01|em-001|Last year one of the engineers on my team, Dan, started missing sprint commitments and his reviews got short and curt. I met him one-on-one, asked what was going on, and learned he was stuck on a legacy module nobody had documented. We agreed he would pair with a senior engineer for two weeks and I moved one deadline with product. Within a month his commitments were back on track and he wrote the module's first runbook.|-Show how you worked it out|-missing the situation"
  "02|swe-005|In a code review last spring a senior engineer said my caching change would break invalidation. Honestly he was the problem, he nitpicked everything, so I told him in front of the team that he was wrong and merged it anyway. The cache served stale prices for a day.|+Show how you worked it out"
  "03|em-003|Our platform team of six had spent four months on a new deployment tool when leadership cancelled it in a reorganisation. I told the team the same day in a meeting, explained the reasons I had been given, and said plainly what I did not know yet. Then I met each engineer one-on-one to talk about where they wanted to go next. Five of the six moved to teams they chose, and nobody left the company that quarter.|-missing the situation|-[Situation"
  "04|pm-002|Our largest customer asked us to build a custom reporting module two weeks before our mobile launch. I was the product manager for both, and the module would have cost the whole mobile team a month. I met their VP, walked through our roadmap, and offered a data export that covered their main need within a week. They accepted, the launch shipped on time, and they renewed the following spring.|-missing the situation"
  "05|ai-002|An embedding is a list of numbers that represents the meaning of a piece of text, so texts with similar meaning get vectors that are close together. A vector database stores these vectors with an index such as HNSW. When a query comes in, it is embedded with the same model and the database returns the nearest stored vectors by cosine similarity. In our support assistant that is how we found the three most relevant help articles for each ticket.|-[The trade-off|-Name the trade-offs"
  "06|ai-003|I choose chunk size by the questions users ask: short factual questions work with small chunks of a few hundred tokens, while questions that need a whole procedure need larger chunks or chunks split on headings. I always overlap chunks a little so a sentence is not cut from its context. Then I test on a set of real questions and measure whether the right chunk is retrieved in the top five.|-Show how you worked it out"
  "07|support-003|A customer on our basic plan asked for a feature that only existed on the enterprise plan, and he wanted it for free because he had been with us for five years. I told him no, but I explained why and showed him a workaround with our export and a spreadsheet template that covered most of what he needed. I also logged his request with the product team. He stayed on his plan and thanked me in the satisfaction survey.|-missing the situation|-Show how you worked it out"
  "08|pm-004|On Sunday I cooked a big dinner for my family. I made lasagne from scratch and a salad, and my sister brought dessert. We ate in the garden because the weather was warm, and afterwards we played board games until late. Cooking for other people is something I really enjoy and I try to do it every couple of weeks.|-Says what you did yourself|-Concrete details make it believable"
  "09|gen-022|My weakness is that I avoid conflict in meetings. Last year a colleague proposed a database change I thought was risky and I kept quiet; it caused two days of rework after release. Since then I write my concern down before the meeting and raise it in the first ten minutes, and my lead now asks me for the risks first.|-strength in disguise|-Show how you worked it out"
  "10|data-012|An inner join keeps only rows that match in both tables, while a left join keeps every row from the left table and fills the missing matches with nulls. A join can mislead when the right table has duplicate keys: each left row is repeated and sums are inflated. I check row counts before and after every join for that reason.|-Show how you worked it out"
  "11|sales-003|Last quarter a hospital group pushed for a 30 percent discount on a three-year contract. I asked their procurement lead what the discount was meant to solve, and learned their budget was fixed for the first year. Instead of cutting the price I offered a lower first-year fee with the difference spread over years two and three, plus a training package. They signed at full contract value, and the account grew by 20 percent the next year.|-Show how you worked it out|-missing the situation"
  "12|design-006|Last year I redesigned the onboarding flow of our budgeting app. I had to raise the share of new users who linked a bank account. I cut the flow from seven screens to four and moved the bank step earlier. Linking went down by 8 percent, because people were not ready to trust us that early. I moved the step back after the first budget was set up and it recovered within two weeks. I learned to test the order of steps, not only their number.|-missing the situation|-Show how you worked it out"
)

run_one() {
  local n="$1" q="$2" text="$3"
  "$root/scripts/coachbot" practice --question "$q" --user "tryout-$n" --text "$text" > "$out/$n-$q.txt" 2> "$out/$n.err"
}

for c in "${cases[@]}"; do
  IFS='|' read -r n q text _ <<< "$c"
  run_one "$n" "$q" "$text" &
  while [ "$(jobs -rp | wc -l)" -ge "${PAR:-2}" ]; do sleep 1; done
done
wait

failed=0
for c in "${cases[@]}"; do
  IFS='|' read -r -a f <<< "$c"
  n="${f[0]}" q="${f[1]}" card="$out/${f[0]}-${f[1]}.txt"
  problems=()
  [ -s "$card" ] || problems+=("no card (see $out/$n.err)")
  for check in "${f[@]:3}"; do
    want="${check:1}"
    if [ "${check:0:1}" = "+" ]; then grep -qF -- "$want" "$card" || problems+=("missing: $want"); fi
    if [ "${check:0:1}" = "-" ]; then grep -qF -- "$want" "$card" && problems+=("unwanted: $want"); fi
  done
  # Every count of key points short of all names what it leaves out.
  if grep -E "covers ([0-9]+ of|none of)" "$card" | grep -vqE "Not yet|Only in passing"; then problems+=("a key-point count names nothing it leaves out"); fi
  # The next question comes from the answered question's role (or the general questions), never the one just answered.
  next=$(grep -oE '\(([a-z]+-[0-9]+)\)$' "$card" | tail -1 | tr -d '()')
  [ "$next" = "$q" ] && problems+=("next question is the one just answered")
  if [ ${#problems[@]} -eq 0 ]; then echo "PASS $n $q (next: $next)"; else echo "FAIL $n $q: ${problems[*]}"; failed=$((failed + 1)); fi
done
echo "$failed of ${#cases[@]} failed; cards in $out"
[ "$failed" -eq 0 ]
