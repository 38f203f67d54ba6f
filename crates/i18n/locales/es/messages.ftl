# Correos electrónicos y mensajes de texto, en el idioma de la cuenta. Un código es el
# único secreto que puede llevar un mensaje.

email-confirmation-subject = Confirme su correo electrónico para Secure Access
email-confirmation-body = Su código de confirmación de Secure Access es { $code }.

    Escríbalo en la página "Confirme su correo electrónico". Vence en { $hours ->
        [one] 1 hora
       *[other] { $hours } horas
    } y funciona una sola vez.

    Si usted no creó una cuenta, puede ignorar este correo.
sms-code = Secure Access: su código es { $code }. Vence en { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }. No se lo dé a nadie.

# La carta de activación (impresa; las letras con acento se imprimen, otros símbolos no).
letter-mailed = Enviada por correo el { $date }
letter-intro = Usted pidió verificar su identidad con { $service }. Para terminar, inicie sesión en { $url } y escriba este código de activación:
letter-expires = Este código vence el { $date }. Después de esa fecha, inicie sesión y pida una carta nueva.
letter-not-you = Si usted no pidió esta carta, es posible que alguien esté usando su información: llame a la mesa de ayuda y no comparta este código.
letter-never-ask = Nunca le pediremos este código por teléfono ni por correo electrónico.
letter-reference = Referencia de la carta: { $reference }

email-if-not-you = Si no fue usted, inicie sesión y quite cualquier método de inicio de sesión que no reconozca, y luego cambie su contraseña. Si no puede iniciar sesión, llame a la mesa de ayuda.
email-disavow-link = ¿No fue usted? Abra este enlace para proteger su cuenta:
    { $url }
    Cierra la sesión en todos los dispositivos y pide una contraseña nueva antes de que alguien pueda volver a iniciar sesión, y detiene cualquier recuperación de la cuenta en curso. Funciona una sola vez, durante { $days ->
        [one] 1 día
       *[other] { $days } días
    }, y no puede cambiar nada más.
sms-disavow-link = ¿No fue usted? Proteja su cuenta: { $url }

email-new-device-subject = Nuevo inicio de sesión en su cuenta de Secure Access
email-new-device-body = Se inició sesión en su cuenta de Secure Access desde un dispositivo que no habíamos visto antes.

    Cuándo: { $when }
    Dirección IP: { $ip }
    Navegador: { $browser }
email-factor-changed-subject = Cambiaron sus métodos de inicio de sesión de Secure Access
email-factor-changed-body = { $what }.

    Puede ver cada cambio en la página de Seguridad de su cuenta.
email-app-code-replayed-subject = Se volvió a usar un código de inicio de sesión de su aplicación de autenticación
email-app-code-replayed-body = Se escribió un código de su aplicación de autenticación para iniciar sesión en su cuenta de Secure Access después de que ya se había usado, y se rechazó.

    Si usted acaba de iniciar sesión dos veces seguidas, no pasa nada. Si no, es posible que alguien sepa su contraseña y haya visto uno de sus códigos: cambie su contraseña ahora.
email-identity-verified-subject = Su identidad está verificada
email-identity-verified-body = Su identidad se verificó { $by ->
        [mail] con el código de activación que le enviamos por correo postal
        [help_desk] por medio de la mesa de ayuda, con el código de activación que le enviamos por correo postal
        [in_person] en persona, con el código de activación que le enviamos por correo postal
       *[online] en línea
    } para su cuenta de Secure Access. Ahora puede usar las herramientas en línea que requieren una identidad verificada.
email-identity-used-elsewhere-subject = Alguien intentó verificarse con su identidad
email-identity-used-elsewhere-body = Alguien intentó verificar su identidad en otra cuenta de Secure Access con su número de Seguro Social. No lo logró: su número de Seguro Social sigue con su cuenta.

    Si fue usted (por ejemplo, una segunda cuenta que olvidó), no tiene que hacer nada. Si no, es posible que alguien tenga su información personal: llame a la mesa de ayuda y considere obtener un PIN de protección de identidad (IP PIN).
email-letter-mailed-subject = Su código de activación va en camino por correo postal
email-letter-mailed-body = Le enviamos una carta con un código de activación a la dirección de su declaración de impuestos más reciente. Debe llegar en 5 a 10 días. Cuando llegue, inicie sesión y escriba el código. El código vence el { $date }.

    Si usted no lo pidió, llame a la mesa de ayuda.
email-letter-reminder-subject = Recordatorio: escriba su código de activación
email-letter-reminder-body = Le enviamos una carta con un código de activación para terminar de verificar su identidad. Inicie sesión y escriba el código antes de que venza el { $date }. Si la carta no ha llegado, inicie sesión para pedir una nueva o llame a la mesa de ayuda.
email-letter-expired-subject = Su código de activación venció
email-letter-expired-body = El código de activación que le enviamos por correo postal venció sin usarse. Inicie sesión para pedir una carta nueva, o llame a la mesa de ayuda si necesita ayuda.
activation-letter-subject = Su código de activación de Secure Access
activation-letter-body = Usted pidió verificar su identidad con Secure Access. Inicie sesión y escriba este código de activación: { $code }

    El código vence el { $date }. Si usted no pidió esta carta, llame a la mesa de ayuda y no comparta este código.
email-password-reset-subject = Su código para restablecer la contraseña de Secure Access
email-password-reset-body = Alguien pidió restablecer la contraseña de su cuenta de Secure Access. Su código es { $code }.

    Escríbalo en la página "Restablecer su contraseña". Vence en { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    } y funciona una sola vez. Restablecer su contraseña no quita su segundo paso de inicio de sesión: seguirá necesitando su aplicación de autenticación, su teléfono o un código de respaldo.

    Si usted no lo pidió, puede ignorar este correo: su contraseña no cambió.
email-password-reset-done-subject = Se restableció su contraseña de Secure Access
email-password-reset-done-body = La contraseña de su cuenta de Secure Access se restableció con un código enviado a esta dirección de correo electrónico, y se cerró la sesión en todos los dispositivos.
email-account-disabled-subject = Se desactivó su cuenta de Secure Access
email-account-disabled-body = Un miembro de nuestro personal desactivó su cuenta de Secure Access, y se cerró la sesión en todos los dispositivos. Nadie puede iniciar sesión en ella hasta que se vuelva a activar.

    Llame a la mesa de ayuda para saber por qué y qué hacer.
email-account-enabled-subject = Se volvió a activar su cuenta de Secure Access
email-account-enabled-body = Un miembro de nuestro personal volvió a activar su cuenta de Secure Access. Puede iniciar sesión como antes.
email-account-reset-started-subject = Alguien empezó a restablecer sus métodos de inicio de sesión de Secure Access
email-account-reset-started-body = Alguien inició sesión en su cuenta de Secure Access con su contraseña y pidió quitar todos los métodos de inicio de sesión (aplicación de autenticación, teléfono, códigos de respaldo) porque no puede usarlos.

    Si fue usted, vuelva a iniciar sesión después del { $when } para configurar otros nuevos.

    Si no fue usted, alguien sabe su contraseña: cancele el restablecimiento con el enlace de abajo, que además pide una contraseña nueva.
sms-account-reset-started = Secure Access: alguien pidió quitar los métodos de inicio de sesión de su cuenta. Ocurrirá después del { $when } a menos que se cancele.
email-account-reset-done-subject = Se quitaron sus métodos de inicio de sesión de Secure Access
email-account-reset-done-body = Terminó el período de espera del restablecimiento de la cuenta y se quitaron todos los métodos de inicio de sesión de su cuenta de Secure Access. Se están configurando otros nuevos.
email-recovery-letter-requested-subject = Alguien pidió recuperar su cuenta de Secure Access por correo postal
email-recovery-letter-requested-body = Alguien inició sesión en su cuenta de Secure Access con su contraseña, dijo que no puede usar ningún método de inicio de sesión y pidió un código de recuperación por correo postal. La carta va a la dirección de su declaración de impuestos más reciente. Su código quita todos los métodos de inicio de sesión para poder configurar otros nuevos.

    Si fue usted, esté atento a su correo postal.

    Si no fue usted, alguien sabe su contraseña: use el enlace de abajo, que anula el código de la carta y pide una contraseña nueva.
sms-recovery-started = Secure Access: alguien pidió recuperar su cuenta por correo postal.
email-account-recovered-subject = Se recuperó su cuenta de Secure Access
email-account-recovered-body = Se escribió el código de recuperación enviado a la dirección de su declaración de impuestos más reciente. Se quitaron todos los métodos de inicio de sesión anteriores, se cerró la sesión en todos los dispositivos y se está configurando un método nuevo.
email-change-code-subject = Confirme su nuevo correo electrónico para Secure Access
email-change-code-body = Su código de Secure Access es { $code }.

    Escríbalo en la página "Cambiar su dirección de correo electrónico" para que esta sea la dirección de su cuenta. Vence en { $hours ->
        [one] 1 hora
       *[other] { $hours } horas
    } y funciona una sola vez.

    Si usted no lo pidió, ignore este correo: no cambia nada.
email-changed-subject = Se cambió la dirección de correo electrónico de Secure Access
email-changed-body = La dirección de correo electrónico de su cuenta de Secure Access se cambió a { $address }. Los mensajes sobre su cuenta ahora van allí, no a esta dirección.
email-account-deleted-subject = Se eliminó su cuenta de Secure Access
email-account-deleted-body = Su cuenta de Secure Access se eliminó, como lo pidió. Se borraron sus métodos de inicio de sesión, su historial de inicios de sesión y sus datos personales; los registros que debemos conservar (las decisiones sobre la verificación de su identidad y el registro de auditoría) se conservan según las reglas de retención.

    Si su identidad estaba verificada, podrá verificarse en una cuenta nueva después de { $days ->
        [one] 1 día
       *[other] { $days } días
    }.

    Si usted no eliminó su cuenta, llame a la mesa de ayuda ahora.
email-identity-recovery-started-subject = Alguien está verificando su identidad para recuperar su cuenta de Secure Access
email-identity-recovery-started-body = Alguien inició sesión en su cuenta de Secure Access con su contraseña, dijo que no puede usar ningún método de inicio de sesión y empezó a verificar su identidad de nuevo para configurar uno nuevo.

    Si fue usted, continúe.

    Si no fue usted, alguien sabe su contraseña: use el enlace de abajo, que detiene la recuperación y pide una contraseña nueva.

# Qué cambió, en un correo sobre los métodos de inicio de sesión (y los nombres de los
# métodos que da el servicio).
factor-added = Se agregó: { $label }
factor-added-sms = Se agregó para recibir códigos por mensaje de texto: { $label }
factor-added-passkey = Se agregó una llave de acceso: { $label }
factor-backup-created = Se crearon códigos de respaldo
factor-backup-replaced = Se crearon códigos de respaldo nuevos; los anteriores ya no funcionan
factor-removed = Se quitó: { $label }
factor-password-changed = Se cambió su contraseña
factor-turned-off = Se desactivó después de demasiados códigos incorrectos: { $label }
factor-label-app = Aplicación de autenticación
factor-label-passkey = Llave de acceso
factor-label-backup-codes = Códigos de respaldo
factor-label-phone = Teléfono que termina en { $digits }
