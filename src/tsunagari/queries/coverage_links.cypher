// title: Coverage links
// description: Every way a provider reaches a municipality with a service, grouped by
//   municipality, service, tier, way (via) and provider label. COVERS edges count at their
//   scope (an edge without one counts as wide_area) with the edge's services, or the
//   provider's when the edge lists none; LOCATED_IN counts as local; an organisation or
//   centre a government commissions (委託; not 補助) counts for that government's area as
//   well as its own (the 3W rule): a municipality locally, every municipality of a
//   prefecture at the prefecture tier; a project without COVERS edges counts for its implementing
//   governments: the lead municipality (RUNS) locally, or wide_area when municipalities
//   partner in it (PARTNERS_IN), a prefecture's project at the prefecture tier. Wards are
//   returned as themselves; coverage.py rolls them up to their city and picks the best
//   tier. An empty $prefecture, $service or $codes means no filter. Each branch filters by
//   $service as early as it can (a superset of the final filter): at 1M edges this is what
//   keeps one service's answer under a second; so does carrying only the properties it
//   returns (not whole nodes) through WITH.
// params: prefecture, service, codes
MATCH (p:Organization)-[c:COVERS]->(m:Municipality)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(c.services, []) OR $service IN coalesce(p.services, []))
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(c.scope, 'wide_area') AS tier,
     CASE WHEN size(coalesce(c.services, [])) > 0 THEN c.services ELSE coalesce(p.services, []) END AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'covers' AS via, 'Organization' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (p:SupportCenter)-[c:COVERS]->(m:Municipality)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(c.services, []) OR $service IN coalesce(p.services, []))
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(c.scope, 'wide_area') AS tier,
     CASE WHEN size(coalesce(c.services, [])) > 0 THEN c.services ELSE coalesce(p.services, []) END AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'covers' AS via, 'SupportCenter' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (p:Project)-[c:COVERS]->(m:Municipality)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(c.services, []) OR $service IN coalesce(p.services, []))
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(c.scope, 'wide_area') AS tier,
     CASE WHEN size(coalesce(c.services, [])) > 0 THEN c.services ELSE coalesce(p.services, []) END AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'covers' AS via, 'Project' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (p:Platform)-[c:COVERS]->(m:Municipality)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(c.services, []))
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(c.scope, 'wide_area') AS tier,
     CASE WHEN size(coalesce(c.services, [])) > 0 THEN c.services ELSE [] END AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'covers' AS via, 'Platform' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (p:Organization)-[:LOCATED_IN]->(m:Municipality)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(p.services, []))
WITH m.code AS code, p.id AS pid, p.name AS pname, 'local' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'located_in' AS via, 'Organization' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (p:SupportCenter)-[:LOCATED_IN]->(m:Municipality)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(p.services, []))
WITH m.code AS code, p.id AS pid, p.name AS pname, 'local' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'located_in' AS via, 'SupportCenter' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (m:Municipality)-[k:COMMISSIONS]->(p:Organization)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND coalesce(k.kind, '') <> '補助'
WITH m.code AS code, p.id AS pid, p.name AS pname, 'local' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'commissioned' AS via, 'Organization' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (g:Prefecture)-[k:COMMISSIONS]->(p:Organization)
WHERE ($prefecture = '' OR g.code = $prefecture)
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND coalesce(k.kind, '') <> '補助'
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g)
WHERE m.kind <> 'ward' AND (size($codes) = 0 OR m.code IN $codes)
WITH m.code AS code, p.id AS pid, p.name AS pname, 'prefecture' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'commissioned' AS via, 'Organization' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (m:Municipality)-[k:COMMISSIONS]->(p:SupportCenter)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND coalesce(k.kind, '') <> '補助'
WITH m.code AS code, p.id AS pid, p.name AS pname, 'local' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'commissioned' AS via, 'SupportCenter' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (g:Prefecture)-[k:COMMISSIONS]->(p:SupportCenter)
WHERE ($prefecture = '' OR g.code = $prefecture)
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND coalesce(k.kind, '') <> '補助'
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g)
WHERE m.kind <> 'ward' AND (size($codes) = 0 OR m.code IN $codes)
WITH m.code AS code, p.id AS pid, p.name AS pname, 'prefecture' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'commissioned' AS via, 'SupportCenter' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (m:Municipality)-[:RUNS]->(p:Project)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes) AND NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
  AND ($service = '' OR $service IN coalesce(p.services, []))
WITH m.code AS code, p.id AS pid, p.name AS pname,
     CASE WHEN COUNT { MATCH (:Municipality)-[:PARTNERS_IN]->(p) } > 0
          THEN 'wide_area' ELSE 'local' END AS tier,
     coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'runs' AS via, 'Project' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (m:Municipality)-[:PARTNERS_IN]->(p:Project)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes) AND NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
  AND ($service = '' OR $service IN coalesce(p.services, []))
WITH m.code AS code, p.id AS pid, p.name AS pname, 'wide_area' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'partners_in' AS via, 'Project' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
UNION ALL
MATCH (g:Prefecture)-[:RUNS]->(p:Project)
WHERE ($prefecture = '' OR g.code = $prefecture) AND NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
  AND ($service = '' OR $service IN coalesce(p.services, []))
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g)
WHERE m.kind <> 'ward' AND (size($codes) = 0 OR m.code IN $codes)
WITH m.code AS code, p.id AS pid, p.name AS pname, 'prefecture' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'runs' AS via, 'Project' AS label,
       collect(DISTINCT {id: pid, name: pname}) AS providers
