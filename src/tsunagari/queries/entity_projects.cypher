// title: Projects around a place
// description: The projects a municipality takes part in (RUNS as 実施主体, PARTNERS_IN as
//   連携自治体), or for a prefecture those of the prefecture and of its municipalities;
//   $code is the place's 6-digit code.
// params: code
MATCH (m:Municipality)-[:RUNS|PARTNERS_IN]->(p:Project)
WHERE m.code = $code OR m.prefecture_code = $code
RETURN DISTINCT p.id AS id
UNION
MATCH (g:Prefecture)-[:RUNS|PARTNERS_IN]->(p:Project)
WHERE g.code = $code
RETURN DISTINCT p.id AS id
