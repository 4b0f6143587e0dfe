(* Does not compile. *)
let x = in x
