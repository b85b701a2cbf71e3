// title: Municipalities
// description: Every municipality and ward with its prefecture, population, town-hall
//   coordinates and, for a ward, the designated city it belongs to (parent_code). An empty
//   $prefecture (a 6-digit prefecture code) means all of Japan.
// params: prefecture
MATCH (m:Municipality)-[:IN_PREFECTURE]->(g:Prefecture)
WHERE $prefecture = '' OR g.code = $prefecture
OPTIONAL MATCH (m)-[:WARD_OF]->(city:Municipality)
RETURN m.code AS code, m.name AS name, m.kind AS kind, g.code AS prefecture_code,
       g.name AS prefecture, m.population AS population, m.lat AS lat, m.lng AS lng,
       city.code AS parent_code
ORDER BY code
