(* Reads two integers, prints their sum. *)
let () = Scanf.scanf " %d %d" (fun a b -> Printf.printf "%d\n" (a + b))
