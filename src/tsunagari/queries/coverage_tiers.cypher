// title: Coverage tiers
// description: The tiers coverage_links.cypher finds, without the providers: one row per
//   municipality (or ward), service, tier and whether the provider is hikikomori-specialised,
//   for each way a provider reaches a town (the same branches, rules and filters:
//   docs/coverage.md; a test holds the two queries to the same answer). coverage.py picks
//   the best tier of each town and service from these rows and asks coverage_links.cypher
//   for the providers only of the rows it shows. Services are unwound before grouping:
//   grouping 500k rows by a list took three times as long at 1M edges. An empty
//   $prefecture, $service or $since means no filter.
// params: prefecture, service, specialised, since
MATCH (p:Organization|SupportCenter|Project|Platform)-[c:COVERS]->(m:Municipality)
WITH m.code AS code, m.prefecture_code AS pref, coalesce(c.scope, 'wide_area') AS tier,
     CASE WHEN size(c.services) > 0 THEN c.services ELSE coalesce(p.services, []) END AS services,
     coalesce(c.as_of, p.as_of, '') AS as_of, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, specialised WHERE $service = '' OR service = $service
RETURN DISTINCT code, service, tier, specialised
UNION ALL
MATCH (p:Organization|SupportCenter)-[:LOCATED_IN]->(m:Municipality)
WHERE NOT (EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
           AND EXISTS { MATCH (k:Completeness) WHERE k.source = p.source })
WITH m.code AS code, m.prefecture_code AS pref, 'local' AS tier, coalesce(p.services, []) AS services,
     coalesce(p.as_of, '') AS as_of, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, specialised WHERE $service = '' OR service = $service
RETURN DISTINCT code, service, tier, specialised
UNION ALL
MATCH (m:Municipality)-[k:COMMISSIONS]->(p:Organization|SupportCenter)
WHERE coalesce(k.kind, '') <> '補助'
WITH m.code AS code, m.prefecture_code AS pref, 'local' AS tier, coalesce(p.services, []) AS services,
     coalesce(k.as_of, p.as_of, '') AS as_of, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, specialised WHERE $service = '' OR service = $service
RETURN DISTINCT code, service, tier, specialised
UNION ALL
MATCH (g:Prefecture)-[k:COMMISSIONS]->(p:Organization|SupportCenter)
WHERE coalesce(k.kind, '') <> '補助'
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g)
WHERE m.kind <> 'ward'
WITH m.code AS code, g.code AS pref, 'prefecture' AS tier, coalesce(p.services, []) AS services,
     coalesce(k.as_of, p.as_of, '') AS as_of, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, specialised WHERE $service = '' OR service = $service
RETURN DISTINCT code, service, tier, specialised
UNION ALL
MATCH (m:Municipality)-[:RUNS]->(p:Project)
WHERE NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
WITH m.code AS code, m.prefecture_code AS pref, 'local' AS tier, coalesce(p.services, []) AS services,
     coalesce(p.as_of, '') AS as_of, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, specialised WHERE $service = '' OR service = $service
RETURN DISTINCT code, service, tier, specialised
UNION ALL
MATCH (m:Municipality)-[:PARTNERS_IN]->(p:Project)
WHERE NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
WITH m.code AS code, m.prefecture_code AS pref, 'wide_area' AS tier, coalesce(p.services, []) AS services,
     coalesce(p.as_of, '') AS as_of, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, specialised WHERE $service = '' OR service = $service
RETURN DISTINCT code, service, tier, specialised
UNION ALL
MATCH (g:Prefecture)-[:RUNS]->(p:Project)
WHERE NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g)
WHERE m.kind <> 'ward'
WITH m.code AS code, g.code AS pref, 'prefecture' AS tier, coalesce(p.services, []) AS services,
     coalesce(p.as_of, '') AS as_of, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, specialised WHERE $service = '' OR service = $service
RETURN DISTINCT code, service, tier, specialised
