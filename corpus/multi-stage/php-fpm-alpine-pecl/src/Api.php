<?php
namespace Acme\Queue;

final class Api
{
    public function status(): string
    {
        return "ok";
    }
}
