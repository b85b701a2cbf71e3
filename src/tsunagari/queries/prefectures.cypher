// title: Prefectures
// description: The code and name of every prefecture in the graph (to name the groups of
//   hubs and communities by prefecture).
// params:
MATCH (p:Prefecture)
RETURN p.code AS code, p.name AS name
ORDER BY code
