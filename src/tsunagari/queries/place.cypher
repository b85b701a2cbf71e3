// title: Place
// description: The prefecture or municipality with this 6-digit code (a prefecture has no
//   prefecture_code); no row when the loaded graph has no such place. One unlabelled match
//   rather than a UNION: LadybugDB 0.22 mixes up the columns of a UNION whose branch
//   returns one expression twice.
// params: code
MATCH (x)
WHERE x.code = $code
RETURN x.code AS code, x.name AS name, x.kind AS kind, x.prefecture_code AS prefecture_code,
       x.population AS population
