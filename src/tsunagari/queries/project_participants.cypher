// title: Project participants
// description: Every government taking part in the projects $ids — the lead (RUNS) and the
//   partners (PARTNERS_IN, with their role and share of the cost) — with the project's year,
//   wide-area form, cost and grant.
// params: ids
MATCH (g:Municipality)-[r:RUNS]->(p:Project)
WHERE p.id IN $ids
RETURN p.id AS id, p.name AS project, p.fiscal_year AS fiscal_year, p.wide_area AS wide_area,
       p.cost_thousand_yen AS cost_thousand_yen, g.code AS code, g.name AS participant,
       'lead' AS relation, '' AS role, r.cost_thousand_yen AS share_thousand_yen
UNION ALL
MATCH (g:Prefecture)-[r:RUNS]->(p:Project)
WHERE p.id IN $ids
RETURN p.id AS id, p.name AS project, p.fiscal_year AS fiscal_year, p.wide_area AS wide_area,
       p.cost_thousand_yen AS cost_thousand_yen, g.code AS code, g.name AS participant,
       'lead' AS relation, '' AS role, r.cost_thousand_yen AS share_thousand_yen
UNION ALL
MATCH (g:Municipality)-[r:PARTNERS_IN]->(p:Project)
WHERE p.id IN $ids
RETURN p.id AS id, p.name AS project, p.fiscal_year AS fiscal_year, p.wide_area AS wide_area,
       p.cost_thousand_yen AS cost_thousand_yen, g.code AS code, g.name AS participant,
       'partner' AS relation, coalesce(r.role, '') AS role, r.cost_thousand_yen AS share_thousand_yen
UNION ALL
MATCH (g:Prefecture)-[r:PARTNERS_IN]->(p:Project)
WHERE p.id IN $ids
RETURN p.id AS id, p.name AS project, p.fiscal_year AS fiscal_year, p.wide_area AS wide_area,
       p.cost_thousand_yen AS cost_thousand_yen, g.code AS code, g.name AS participant,
       'partner' AS relation, coalesce(r.role, '') AS role, r.cost_thousand_yen AS share_thousand_yen
