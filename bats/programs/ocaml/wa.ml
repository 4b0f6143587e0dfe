(* Prints the sum plus one: a wrong answer. *)
let () = Scanf.scanf " %d %d" (fun a b -> Printf.printf "%d\n" (a + b + 1))
