<?php

declare(strict_types=1);

namespace Acme\Web;

final class Greeter
{
    public function __construct(private string $name)
    {
    }

    public function greet(): string
    {
        // bcmath comes from docker-php-ext-install: the runner must still have it
        $total = bcadd('0.1', '0.2', 1);
        return sprintf('php-web up: hello %s, 0.1 + 0.2 = %s', $this->name, $total);
    }
}
