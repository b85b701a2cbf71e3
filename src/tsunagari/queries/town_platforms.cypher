// title: Town platforms
// description: The platforms around towns: those a town ($codes) belongs to or runs the
//   secretariat of, those located in or covering it, and those a prefecture ($prefectures)
//   belongs to or runs; `code` says which town or prefecture each row is about, so that
//   one call serves many towns.
// params: codes, prefectures
MATCH (m:Municipality)-[:MEMBER_OF]->(pf:Platform)
WHERE m.code IN $codes
RETURN m.code AS code, pf.id AS id, pf.name AS name, pf.level AS level, 'member' AS relation
UNION ALL
MATCH (m:Municipality)-[:SECRETARIAT_OF]->(pf:Platform)
WHERE m.code IN $codes
RETURN m.code AS code, pf.id AS id, pf.name AS name, pf.level AS level,
       'secretariat' AS relation
UNION ALL
MATCH (pf:Platform)-[:LOCATED_IN|COVERS]->(m:Municipality)
WHERE m.code IN $codes
RETURN DISTINCT m.code AS code, pf.id AS id, pf.name AS name, pf.level AS level,
       'area' AS relation
UNION ALL
MATCH (g:Prefecture)-[:MEMBER_OF|SECRETARIAT_OF]->(pf:Platform)
WHERE g.code IN $prefectures
RETURN DISTINCT g.code AS code, pf.id AS id, pf.name AS name, pf.level AS level,
       'prefecture' AS relation
