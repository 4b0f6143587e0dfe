# Divides by zero: an uncaught ArithmeticError.
defmodule Main do
  def main do
    [a, b] = IO.read(:stdio, :line) |> String.split() |> Enum.map(&String.to_integer/1)
    IO.puts(div(a, b - b))
  end
end
