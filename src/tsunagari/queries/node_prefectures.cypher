// title: Node prefectures
// description: Where each organisation, centre, platform and project works: the prefectures
//   of the municipalities it is located in or covers, of the governments that commission it,
//   run or partner in it, or belong to it; an operator works where the centres it operates
//   are. A per-prefecture view of the network keeps the
//   nodes anchored in that prefecture (and their neighbours anchored nowhere).
// params:
MATCH (x:Organization)-[:LOCATED_IN|COVERS]->(m:Municipality)
RETURN DISTINCT 'Organization' AS label, x.id AS key, m.prefecture_code AS prefecture
UNION ALL
MATCH (x:SupportCenter)-[:LOCATED_IN|COVERS]->(m:Municipality)
RETURN DISTINCT 'SupportCenter' AS label, x.id AS key, m.prefecture_code AS prefecture
UNION ALL
MATCH (x:Platform)-[:LOCATED_IN|COVERS]->(m:Municipality)
RETURN DISTINCT 'Platform' AS label, x.id AS key, m.prefecture_code AS prefecture
UNION ALL
MATCH (x:Organization)-[:OPERATES]->(:SupportCenter)-[:LOCATED_IN|COVERS]->(m:Municipality)
RETURN DISTINCT 'Organization' AS label, x.id AS key, m.prefecture_code AS prefecture
UNION ALL
MATCH (x:Project)-[:COVERS]->(m:Municipality)
RETURN DISTINCT 'Project' AS label, x.id AS key, m.prefecture_code AS prefecture
UNION ALL
MATCH (g:Municipality)-[:COMMISSIONS]->(x:Organization)
RETURN DISTINCT 'Organization' AS label, x.id AS key, g.prefecture_code AS prefecture
UNION ALL
MATCH (g:Prefecture)-[:COMMISSIONS]->(x:Organization)
RETURN DISTINCT 'Organization' AS label, x.id AS key, g.code AS prefecture
UNION ALL
MATCH (g:Municipality)-[:COMMISSIONS]->(x:SupportCenter)
RETURN DISTINCT 'SupportCenter' AS label, x.id AS key, g.prefecture_code AS prefecture
UNION ALL
MATCH (g:Prefecture)-[:COMMISSIONS]->(x:SupportCenter)
RETURN DISTINCT 'SupportCenter' AS label, x.id AS key, g.code AS prefecture
UNION ALL
MATCH (g:Municipality)-[:RUNS|PARTNERS_IN]->(x:Project)
RETURN DISTINCT 'Project' AS label, x.id AS key, g.prefecture_code AS prefecture
UNION ALL
MATCH (g:Prefecture)-[:RUNS|PARTNERS_IN]->(x:Project)
RETURN DISTINCT 'Project' AS label, x.id AS key, g.code AS prefecture
UNION ALL
MATCH (g:Municipality)-[:MEMBER_OF|SECRETARIAT_OF]->(x:Platform)
RETURN DISTINCT 'Platform' AS label, x.id AS key, g.prefecture_code AS prefecture
UNION ALL
MATCH (g:Prefecture)-[:MEMBER_OF|SECRETARIAT_OF]->(x:Platform)
RETURN DISTINCT 'Platform' AS label, x.id AS key, g.code AS prefecture
