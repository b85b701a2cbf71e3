// title: 団体 of a funding decision, by kind
// description: Distinct prefectures and municipalities that run (RUNS) or partner in
//   (PARTNERS_IN) a project of decision ($fiscal_year, $round) whose list starts with $list ('' for every list), each counted
//   once however many projects it is in: designated cities apart from the other municipalities.
// params: fiscal_year, round, list
MATCH (p:Prefecture)-[:RUNS|PARTNERS_IN]->(j:Project)
WHERE j.fiscal_year = $fiscal_year AND j.round = $round AND j.list STARTS WITH $list
RETURN 'prefectures' AS figure, count(DISTINCT p.code) AS value
UNION ALL
MATCH (m:Municipality)-[:RUNS|PARTNERS_IN]->(j:Project)
WHERE j.fiscal_year = $fiscal_year AND j.round = $round AND j.list STARTS WITH $list AND m.kind = 'designated_city'
RETURN 'designated_cities' AS figure, count(DISTINCT m.code) AS value
UNION ALL
MATCH (m:Municipality)-[:RUNS|PARTNERS_IN]->(j:Project)
WHERE j.fiscal_year = $fiscal_year AND j.round = $round AND j.list STARTS WITH $list AND m.kind <> 'designated_city'
RETURN 'municipalities' AS figure, count(DISTINCT m.code) AS value
