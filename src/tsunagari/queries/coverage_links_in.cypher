// title: Coverage links in some towns
// description: coverage_links.cypher for the municipalities (or wards) in $codes only: the
//   same branches, rules, filters and rows, with the towns matched first (in MATCH … WHERE),
//   so the engine starts from them: for the few towns a gap table shows, ~10 ms where
//   filtering the national answer took ~0.2 s at 1M edges (a test holds the two queries to
//   the same rows). An empty $prefecture, $service or $since means no filter.
// params: codes, prefecture, service, specialised, since
MATCH (p:Organization|SupportCenter|Project|Platform)-[c:COVERS]->(m:Municipality)
WHERE m.code IN $codes
WITH m.code AS code, m.prefecture_code AS pref, coalesce(c.scope, 'wide_area') AS tier,
     CASE WHEN size(c.services) > 0 THEN c.services ELSE coalesce(p.services, []) END AS services,
     coalesce(c.as_of, p.as_of, '') AS as_of, labels(p) AS label, p.id AS id, p.name AS name, coalesce(p.status, '') AS status, coalesce(p.stated, false) AS stated, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture)
  AND ($service = '' OR $service IN services) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, label, status, stated, specialised, id, name WHERE $service = '' OR service = $service
RETURN code, service, tier, 'covers' AS via, status, stated, specialised,
       collect(label) AS labels, collect(id) AS ids, collect(name) AS names
UNION ALL
MATCH (p:Organization|SupportCenter)-[:LOCATED_IN]->(m:Municipality)
WHERE m.code IN $codes AND NOT (EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
           AND EXISTS { MATCH (k:Completeness) WHERE k.source = p.source })
WITH m.code AS code, m.prefecture_code AS pref, 'local' AS tier, coalesce(p.services, []) AS services,
     coalesce(p.as_of, '') AS as_of, labels(p) AS label, p.id AS id, p.name AS name, coalesce(p.status, '') AS status, coalesce(p.stated, false) AS stated, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture)
  AND ($service = '' OR $service IN services) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, label, status, stated, specialised, id, name WHERE $service = '' OR service = $service
RETURN code, service, tier, 'located_in' AS via, status, stated, specialised,
       collect(label) AS labels, collect(id) AS ids, collect(name) AS names
UNION ALL
MATCH (m:Municipality)-[k:COMMISSIONS]->(p:Organization|SupportCenter)
WHERE m.code IN $codes AND coalesce(k.kind, '') <> '補助'
WITH m.code AS code, m.prefecture_code AS pref, 'local' AS tier, coalesce(p.services, []) AS services,
     coalesce(k.as_of, p.as_of, '') AS as_of, labels(p) AS label, p.id AS id, p.name AS name, coalesce(p.status, '') AS status, coalesce(p.stated, false) AS stated, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture)
  AND ($service = '' OR $service IN services) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, label, status, stated, specialised, id, name WHERE $service = '' OR service = $service
RETURN code, service, tier, 'commissioned' AS via, status, stated, specialised,
       collect(label) AS labels, collect(id) AS ids, collect(name) AS names
UNION ALL
MATCH (g:Prefecture)-[k:COMMISSIONS]->(p:Organization|SupportCenter)
WHERE coalesce(k.kind, '') <> '補助'
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g)
WHERE m.code IN $codes AND m.kind <> 'ward'
WITH m.code AS code, g.code AS pref, 'prefecture' AS tier, coalesce(p.services, []) AS services,
     coalesce(k.as_of, p.as_of, '') AS as_of, labels(p) AS label, p.id AS id, p.name AS name, coalesce(p.status, '') AS status, coalesce(p.stated, false) AS stated, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture)
  AND ($service = '' OR $service IN services) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, label, status, stated, specialised, id, name WHERE $service = '' OR service = $service
RETURN code, service, tier, 'commissioned' AS via, status, stated, specialised,
       collect(label) AS labels, collect(id) AS ids, collect(name) AS names
UNION ALL
MATCH (m:Municipality)-[:RUNS]->(p:Project)
WHERE m.code IN $codes AND NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
WITH m.code AS code, m.prefecture_code AS pref, 'local' AS tier, coalesce(p.services, []) AS services,
     coalesce(p.as_of, '') AS as_of, 'Project' AS label, p.id AS id, p.name AS name, '' AS status, false AS stated, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture)
  AND ($service = '' OR $service IN services) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, label, status, stated, specialised, id, name WHERE $service = '' OR service = $service
RETURN code, service, tier, 'runs' AS via, status, stated, specialised,
       collect(label) AS labels, collect(id) AS ids, collect(name) AS names
UNION ALL
MATCH (m:Municipality)-[:PARTNERS_IN]->(p:Project)
WHERE m.code IN $codes AND NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
WITH m.code AS code, m.prefecture_code AS pref, 'wide_area' AS tier, coalesce(p.services, []) AS services,
     coalesce(p.as_of, '') AS as_of, 'Project' AS label, p.id AS id, p.name AS name, '' AS status, false AS stated, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture)
  AND ($service = '' OR $service IN services) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, label, status, stated, specialised, id, name WHERE $service = '' OR service = $service
RETURN code, service, tier, 'partners_in' AS via, status, stated, specialised,
       collect(label) AS labels, collect(id) AS ids, collect(name) AS names
UNION ALL
MATCH (g:Prefecture)-[:RUNS]->(p:Project)
WHERE NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g)
WHERE m.code IN $codes AND m.kind <> 'ward'
WITH m.code AS code, g.code AS pref, 'prefecture' AS tier, coalesce(p.services, []) AS services,
     coalesce(p.as_of, '') AS as_of, 'Project' AS label, p.id AS id, p.name AS name, '' AS status, false AS stated, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture)
  AND ($service = '' OR $service IN services) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, label, status, stated, specialised, id, name WHERE $service = '' OR service = $service
RETURN code, service, tier, 'runs' AS via, status, stated, specialised,
       collect(label) AS labels, collect(id) AS ids, collect(name) AS names
