namespace Grid.Abstractions;
