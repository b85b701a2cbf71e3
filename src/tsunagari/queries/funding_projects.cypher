// title: Projects and 事業費 of a funding decision
// description: The number of projects of decision ($fiscal_year, $round) whose list starts with $list ('' for every list) and
//   the sum of their 事業費 (thousand yen); a partner's own cost is part of a project row,
//   so it is not added again.
// params: fiscal_year, round, list
MATCH (j:Project)
WHERE j.fiscal_year = $fiscal_year AND j.round = $round AND j.list STARTS WITH $list
RETURN count(j) AS projects, sum(j.cost_thousand_yen) AS cost_thousand_yen
