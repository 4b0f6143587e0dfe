(* Divides by zero: the Division_by_zero exception, exit 2. *)
let () = Scanf.scanf " %d %d" (fun a b -> Printf.printf "%d\n" (a / (b - b)))
