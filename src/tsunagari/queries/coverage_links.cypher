// title: Coverage links
// description: Every way a provider reaches a municipality with a service (docs/coverage.md),
//   one branch per way: COVERS edges count at their scope (an edge without one counts as
//   wide_area) with the edge's services, or the provider's when the edge lists none (a
//   platform lists none of its own); LOCATED_IN counts as local, except for a provider with
//   COVERS edges from a source that claims completeness (a Completeness node of its
//   source): those edges are then its whole area and its address only says where it sits
//   (県南福祉事務所 in 土浦市 serves 町村, not 土浦市); an organisation or centre a government
//   commissions (委託; not 補助) counts for that government's area as well as its own (the
//   3W rule): a municipality locally, every municipality of a prefecture at the prefecture
//   tier; a project without COVERS edges counts for its implementing governments: the lead
//   municipality (RUNS) locally (it runs the project for its own residents), its partners
//   (PARTNERS_IN) at wide_area, a prefecture's project at the prefecture tier. A
//   government's commissions and projects are two ways each (a town's, a prefecture's):
//   the tier and the towns reached differ, and the dialects share no function that names a
//   node's label or a relationship's type (labels() is a string in LadybugDB, a list in
//   Neo4j), so neither can be told apart inside one branch. One row per municipality (or
//   ward), service, tier, way and kind of provider (status: review_required = 要確認,
//   stated centre, specialised), with the providers' labels, ids and names in step (a
//   label in the grouping made three times the rows at 1M edges); a provider reaching a
//   town twice the same way is listed twice (coverage.py keeps one).
//   A property the provider's label lacks reads as null. Wards are returned as themselves;
//   coverage.py rolls them up to their city, picks the best tier and tells none from
//   unknown. $specialised keeps only hikikomori-specialised providers; $since (a year or
//   date) drops facts dated before it; an empty $prefecture, $service or $since means no
//   filter. Every branch filters after projecting the few values it returns (not whole
//   nodes) and not in MATCH … WHERE: given a filter there, LadybugDB plans the join from
//   the municipality side and the national answer at 1M edges took twice as long (the
//   plan coverage_links_in.cypher wants for a few towns).
// params: prefecture, service, specialised, since
MATCH (p:Organization|SupportCenter|Project|Platform)-[c:COVERS]->(m:Municipality)
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
WHERE NOT (EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
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
WHERE coalesce(k.kind, '') <> '補助'
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
WHERE m.kind <> 'ward'
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
WHERE NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
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
WHERE NOT EXISTS { MATCH (p)-[:COVERS]->(:Municipality) }
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
WHERE m.kind <> 'ward'
WITH m.code AS code, g.code AS pref, 'prefecture' AS tier, coalesce(p.services, []) AS services,
     coalesce(p.as_of, '') AS as_of, 'Project' AS label, p.id AS id, p.name AS name, '' AS status, false AS stated, coalesce(p.specialised, false) AS specialised
WHERE ($prefecture = '' OR pref = $prefecture)
  AND ($service = '' OR $service IN services) AND (NOT $specialised OR specialised)
  AND ($since = '' OR as_of >= $since)
UNWIND services AS service
WITH code, service, tier, label, status, stated, specialised, id, name WHERE $service = '' OR service = $service
RETURN code, service, tier, 'runs' AS via, status, stated, specialised,
       collect(label) AS labels, collect(id) AS ids, collect(name) AS names
