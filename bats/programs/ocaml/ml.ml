(* Allocates and fills 8 MiB blocks until it is stopped. *)
let () =
  let keep = ref [] in
  for _ = 1 to 512 do
    keep := Bytes.make (8 lsl 20) 'x' :: !keep
  done;
  print_int (List.length !keep)
