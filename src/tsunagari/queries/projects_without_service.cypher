// title: Projects counted for no service
// description: The funded projects whose texts (name, 事業概要, partners' role) name no
//   service, so they count for nothing in coverage and gaps; listed, not dropped, with the
//   lead (実施主体), 事業費, whether they are ひきこもり-specialised and where the list prints
//   them. One branch per lead label: RUNS starts at a Municipality or a Prefecture.
// params:
MATCH (g:Municipality)-[:RUNS]->(p:Project)
WHERE coalesce(size(p.services), 0) = 0
RETURN p.id AS id, g.name AS lead, p.name AS name, p.cost_thousand_yen AS cost_thousand_yen,
       p.specialised AS specialised, p.locator AS locator
UNION ALL
MATCH (g:Prefecture)-[:RUNS]->(p:Project)
WHERE coalesce(size(p.services), 0) = 0
RETURN p.id AS id, g.name AS lead, p.name AS name, p.cost_thousand_yen AS cost_thousand_yen,
       p.specialised AS specialised, p.locator AS locator
