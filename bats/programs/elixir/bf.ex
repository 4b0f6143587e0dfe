# Does not compile.
defmodule Main do
  def main do
    x = = 1
  end
end
