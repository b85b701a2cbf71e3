// title: Provider relations
// description: Who stands behind each provider: the organisation operating a centre
//   (OPERATES), the governments commissioning it (COMMISSIONS, with 委託/補助), running a
//   project or partnering in it (RUNS, PARTNERS_IN, with the role) and the grants funding
//   it (FUNDS). $ids are provider ids.
// params: ids
MATCH (o:Organization)-[:OPERATES]->(p:SupportCenter)
WHERE p.id IN $ids
RETURN 'SupportCenter' AS label, p.id AS id, 'operated_by' AS relation, o.name AS actor,
       '' AS detail
UNION ALL
MATCH (g:Municipality)-[k:COMMISSIONS]->(p:SupportCenter)
WHERE p.id IN $ids
RETURN 'SupportCenter' AS label, p.id AS id, 'commissioned_by' AS relation, g.name AS actor,
       coalesce(k.kind, '') AS detail
UNION ALL
MATCH (g:Prefecture)-[k:COMMISSIONS]->(p:SupportCenter)
WHERE p.id IN $ids
RETURN 'SupportCenter' AS label, p.id AS id, 'commissioned_by' AS relation, g.name AS actor,
       coalesce(k.kind, '') AS detail
UNION ALL
MATCH (g:Municipality)-[k:COMMISSIONS]->(p:Organization)
WHERE p.id IN $ids
RETURN 'Organization' AS label, p.id AS id, 'commissioned_by' AS relation, g.name AS actor,
       coalesce(k.kind, '') AS detail
UNION ALL
MATCH (g:Prefecture)-[k:COMMISSIONS]->(p:Organization)
WHERE p.id IN $ids
RETURN 'Organization' AS label, p.id AS id, 'commissioned_by' AS relation, g.name AS actor,
       coalesce(k.kind, '') AS detail
UNION ALL
MATCH (g:Municipality)-[:RUNS]->(p:Project)
WHERE p.id IN $ids
RETURN 'Project' AS label, p.id AS id, 'run_by' AS relation, g.name AS actor, '' AS detail
UNION ALL
MATCH (g:Prefecture)-[:RUNS]->(p:Project)
WHERE p.id IN $ids
RETURN 'Project' AS label, p.id AS id, 'run_by' AS relation, g.name AS actor, '' AS detail
UNION ALL
MATCH (g:Municipality)-[r:PARTNERS_IN]->(p:Project)
WHERE p.id IN $ids
RETURN 'Project' AS label, p.id AS id, 'partner' AS relation, g.name AS actor,
       coalesce(r.role, '') AS detail
UNION ALL
MATCH (g:Prefecture)-[r:PARTNERS_IN]->(p:Project)
WHERE p.id IN $ids
RETURN 'Project' AS label, p.id AS id, 'partner' AS relation, g.name AS actor,
       coalesce(r.role, '') AS detail
UNION ALL
MATCH (gr:Grant)-[:FUNDS]->(p:Project)
WHERE p.id IN $ids
RETURN 'Project' AS label, p.id AS id, 'funded_by' AS relation, gr.name AS actor,
       '' AS detail
