// title: Provider locations
// description: Where each organisation and centre is (LOCATED_IN), with its own services and
//   the services of its COVERS edges and whether it is hikikomori-specialised, for distance-based accessibility (access.py).
// params:
MATCH (p:Organization)-[:LOCATED_IN]->(m:Municipality)
OPTIONAL MATCH (p)-[c:COVERS]->(:Municipality)
RETURN 'Organization' AS label, p.id AS id, p.name AS name, m.code AS code,
       coalesce(p.services, []) AS services, collect(c.services) AS covers_services,
       coalesce(p.specialised, false) AS specialised
UNION ALL
MATCH (p:SupportCenter)-[:LOCATED_IN]->(m:Municipality)
OPTIONAL MATCH (p)-[c:COVERS]->(:Municipality)
RETURN 'SupportCenter' AS label, p.id AS id, p.name AS name, m.code AS code,
       coalesce(p.services, []) AS services, collect(c.services) AS covers_services,
       coalesce(p.specialised, false) AS specialised
