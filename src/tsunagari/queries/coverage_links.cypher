// title: Coverage links
// description: Every way a provider reaches a municipality with a service, grouped by
//   municipality, service, tier, way (via) and provider label (docs/coverage.md). COVERS
//   edges count at their scope (an edge without one counts as wide_area) with the edge's
//   services, or the provider's when the edge lists none; LOCATED_IN counts as local,
//   except for a provider with COVERS edges from a source that claims completeness (a
//   Completeness node of its source): those edges are then its whole area and its address
//   only says where it sits (県南福祉事務所 in 土浦市 serves 町村, not 土浦市); an organisation or centre a
//   government commissions (委託; not 補助) counts for that government's area as well as its
//   own (the 3W rule): a municipality locally, every municipality of a prefecture at the
//   prefecture tier; a project without COVERS edges counts for its implementing governments:
//   the lead municipality (RUNS) locally (it runs the project for its own residents), its
//   partners (PARTNERS_IN) at wide_area, a prefecture's project at the prefecture tier.
//   $specialised keeps only hikikomori-specialised providers; $since (a year or date) drops
//   facts dated before it. Each provider carries its status (review_required = 要確認) and
//   whether it is specialised or a stated centre. Wards are returned as themselves; coverage.py rolls them
//   up to their city, picks the best tier and tells none from unknown. An empty
//   $prefecture, $service, $codes or $since means no filter. Each branch filters by
//   $service as early as it can (a superset of the final filter): at 1M edges this is what
//   keeps one service's answer under a second; so does carrying only the properties it
//   returns (not whole nodes) through WITH. The branches repeat per label because the
//   returned label must be written in the query (the subset both engines run has no
//   labels()/label() in common).
// params: prefecture, service, codes, specialised, since
MATCH (p:Organization)-[c:COVERS]->(m:Municipality)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(c.services, []) OR $service IN coalesce(p.services, []))
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(c.as_of, p.as_of, '') >= $since)
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(p.status, '') AS pstatus, false AS pstated, coalesce(p.specialised, false) AS pspec, coalesce(c.scope, 'wide_area') AS tier,
     CASE WHEN size(coalesce(c.services, [])) > 0 THEN c.services ELSE coalesce(p.services, []) END AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'covers' AS via, 'Organization' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (p:SupportCenter)-[c:COVERS]->(m:Municipality)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(c.services, []) OR $service IN coalesce(p.services, []))
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(c.as_of, p.as_of, '') >= $since)
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(p.status, '') AS pstatus, coalesce(p.stated, false) AS pstated, coalesce(p.specialised, false) AS pspec, coalesce(c.scope, 'wide_area') AS tier,
     CASE WHEN size(coalesce(c.services, [])) > 0 THEN c.services ELSE coalesce(p.services, []) END AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'covers' AS via, 'SupportCenter' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (p:Project)-[c:COVERS]->(m:Municipality)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(c.services, []) OR $service IN coalesce(p.services, []))
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(c.as_of, p.as_of, '') >= $since)
WITH m.code AS code, p.id AS pid, p.name AS pname, '' AS pstatus, false AS pstated, coalesce(p.specialised, false) AS pspec, coalesce(c.scope, 'wide_area') AS tier,
     CASE WHEN size(coalesce(c.services, [])) > 0 THEN c.services ELSE coalesce(p.services, []) END AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'covers' AS via, 'Project' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (p:Platform)-[c:COVERS]->(m:Municipality)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(c.services, []))
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(c.as_of, p.as_of, '') >= $since)
WITH m.code AS code, p.id AS pid, p.name AS pname, '' AS pstatus, false AS pstated, coalesce(p.specialised, false) AS pspec, coalesce(c.scope, 'wide_area') AS tier,
     CASE WHEN size(coalesce(c.services, [])) > 0 THEN c.services ELSE [] END AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'covers' AS via, 'Platform' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (p:Organization)-[:LOCATED_IN]->(m:Municipality)
WHERE NOT (EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
           AND EXISTS { MATCH (k:Completeness) WHERE k.source = p.source })
  AND ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(p.as_of, '') >= $since)
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(p.status, '') AS pstatus, false AS pstated, coalesce(p.specialised, false) AS pspec, 'local' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'located_in' AS via, 'Organization' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (p:SupportCenter)-[:LOCATED_IN]->(m:Municipality)
WHERE NOT (EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
           AND EXISTS { MATCH (k:Completeness) WHERE k.source = p.source })
  AND ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(p.as_of, '') >= $since)
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(p.status, '') AS pstatus, coalesce(p.stated, false) AS pstated, coalesce(p.specialised, false) AS pspec, 'local' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'located_in' AS via, 'SupportCenter' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (m:Municipality)-[k:COMMISSIONS]->(p:Organization)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND coalesce(k.kind, '') <> '補助'
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(k.as_of, p.as_of, '') >= $since)
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(p.status, '') AS pstatus, false AS pstated, coalesce(p.specialised, false) AS pspec, 'local' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'commissioned' AS via, 'Organization' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (g:Prefecture)-[k:COMMISSIONS]->(p:Organization)
WHERE ($prefecture = '' OR g.code = $prefecture)
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND coalesce(k.kind, '') <> '補助'
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(k.as_of, p.as_of, '') >= $since)
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g)
WHERE m.kind <> 'ward' AND (size($codes) = 0 OR m.code IN $codes)
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(p.status, '') AS pstatus, false AS pstated, coalesce(p.specialised, false) AS pspec, 'prefecture' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'commissioned' AS via, 'Organization' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (m:Municipality)-[k:COMMISSIONS]->(p:SupportCenter)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes)
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND coalesce(k.kind, '') <> '補助'
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(k.as_of, p.as_of, '') >= $since)
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(p.status, '') AS pstatus, coalesce(p.stated, false) AS pstated, coalesce(p.specialised, false) AS pspec, 'local' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'commissioned' AS via, 'SupportCenter' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (g:Prefecture)-[k:COMMISSIONS]->(p:SupportCenter)
WHERE ($prefecture = '' OR g.code = $prefecture)
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND coalesce(k.kind, '') <> '補助'
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(k.as_of, p.as_of, '') >= $since)
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g)
WHERE m.kind <> 'ward' AND (size($codes) = 0 OR m.code IN $codes)
WITH m.code AS code, p.id AS pid, p.name AS pname, coalesce(p.status, '') AS pstatus, coalesce(p.stated, false) AS pstated, coalesce(p.specialised, false) AS pspec, 'prefecture' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'commissioned' AS via, 'SupportCenter' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (m:Municipality)-[:RUNS]->(p:Project)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes) AND NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(p.as_of, '') >= $since)
WITH m.code AS code, p.id AS pid, p.name AS pname, '' AS pstatus, false AS pstated, coalesce(p.specialised, false) AS pspec,
     'local' AS tier,
     coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'runs' AS via, 'Project' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (m:Municipality)-[:PARTNERS_IN]->(p:Project)
WHERE ($prefecture = '' OR m.prefecture_code = $prefecture) AND (size($codes) = 0 OR m.code IN $codes) AND NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(p.as_of, '') >= $since)
WITH m.code AS code, p.id AS pid, p.name AS pname, '' AS pstatus, false AS pstated, coalesce(p.specialised, false) AS pspec, 'wide_area' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'partners_in' AS via, 'Project' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
UNION ALL
MATCH (g:Prefecture)-[:RUNS]->(p:Project)
WHERE ($prefecture = '' OR g.code = $prefecture) AND NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
  AND ($service = '' OR $service IN coalesce(p.services, []))
  AND (NOT $specialised OR coalesce(p.specialised, false))
  AND ($since = '' OR coalesce(p.as_of, '') >= $since)
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g)
WHERE m.kind <> 'ward' AND (size($codes) = 0 OR m.code IN $codes)
WITH m.code AS code, p.id AS pid, p.name AS pname, '' AS pstatus, false AS pstated, coalesce(p.specialised, false) AS pspec, 'prefecture' AS tier, coalesce(p.services, []) AS services
UNWIND services AS service
WITH code, pid, pname, pstatus, pstated, pspec, tier, service WHERE $service = '' OR service = $service
RETURN code, service, tier, 'runs' AS via, 'Project' AS label,
       collect(DISTINCT {id: pid, name: pname, status: pstatus, stated: pstated, specialised: pspec}) AS providers
