// title: Town platforms
// description: The platforms around a town: those the town (or its city, $codes) belongs to
//   or runs the secretariat of, those located in or covering it, and those its prefecture
//   ($prefecture) belongs to or runs.
// params: codes, prefecture
MATCH (m:Municipality)-[:MEMBER_OF]->(pf:Platform)
WHERE m.code IN $codes
RETURN pf.id AS id, pf.name AS name, pf.level AS level, 'member' AS relation
UNION ALL
MATCH (m:Municipality)-[:SECRETARIAT_OF]->(pf:Platform)
WHERE m.code IN $codes
RETURN pf.id AS id, pf.name AS name, pf.level AS level, 'secretariat' AS relation
UNION ALL
MATCH (pf:Platform)-[:LOCATED_IN|COVERS]->(m:Municipality)
WHERE m.code IN $codes
RETURN DISTINCT pf.id AS id, pf.name AS name, pf.level AS level, 'area' AS relation
UNION ALL
MATCH (g:Prefecture)-[:MEMBER_OF|SECRETARIAT_OF]->(pf:Platform)
WHERE g.code = $prefecture
RETURN DISTINCT pf.id AS id, pf.name AS name, pf.level AS level, 'prefecture' AS relation
